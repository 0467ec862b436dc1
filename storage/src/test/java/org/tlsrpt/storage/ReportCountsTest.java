package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.storage.CraftedReports.incoming;
import static org.tlsrpt.storage.CraftedReports.report;
import static org.tlsrpt.storage.CraftedReports.sts;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/** Counting stored reports on the embedded engine. */
class ReportCountsTest {
  private static final String DB = "tlsrpt";

  @TempDir Path dir;

  @Test
  void countsEachStoredReportOnceHoweverOftenItArrived() {
    try (EmbeddedClickHouse ch =
        EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data"))) {
      new Migrations(ch, SchemaOptions.local(DB)).apply();
      ReportCounts counts = new ReportCounts(ch, DB);
      assertThat(counts.none()).isTrue();
      assertThat(counts.reports()).isZero();

      LocalDate day = LocalDate.parse("2026-03-09");
      Instant at = Instant.parse("2026-03-10T12:00:00Z");
      String one = report("A Sender", "a1", day, sts("example.com", "enforce", 5));
      ReportStore store = new ReportStore(ch, DB);
      store.store(
          List.of(
              incoming(one, at),
              incoming(report("B Sender", "b1", day, sts("example.com", "enforce", 5)), at)));
      store.store(List.of(incoming(one + " ", at))); // the same report in other bytes

      assertThat(counts.none()).isFalse();
      assertThat(counts.reports()).isEqualTo(2);
      assertThat(counts.keys())
          .containsExactlyInAnyOrder(
              keyOf(one, at),
              keyOf(report("B Sender", "b1", day, sts("example.com", "enforce", 5)), at));
    }
  }

  private static String keyOf(String json, Instant at) {
    var parsed = (org.tlsrpt.parser.ParseOutcome.Parsed) incoming(json, at).outcome();
    return ReportKeys.reportKey(parsed.reports().getFirst().report().key());
  }
}

package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.storage.CraftedReports.incoming;
import static org.tlsrpt.storage.CraftedReports.report;
import static org.tlsrpt.storage.CraftedReports.sts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * The key table the writer looks re-deliveries up in: one row per stored report, the keys of
 * reports stored before it existed filled in by its migration, and a discarded report's key gone
 * with it.
 */
class ReportKeysTest {
  private static final String DB = "tlsrpt";
  private static final LocalDate DAY = LocalDate.parse("2026-03-09");
  private static final Instant AT = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path dir;

  private static String q(EmbeddedClickHouse ch, String sql) {
    return new String(ch.query(sql, "TabSeparated"), StandardCharsets.UTF_8).trim();
  }

  @Test
  void everyStoredReportHasItsKeyRowWithItsVersion() {
    try (EmbeddedClickHouse ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir)) {
      new Migrations(ch, SchemaOptions.local(DB)).apply();
      new ReportStore(ch, DB)
          .store(
              List.of(
                  incoming(report("A", "a1", DAY, sts("example.com", "enforce", 5)), AT),
                  incoming(report("B", "b1", DAY, sts("example.com", "enforce", 5)), AT)));
      assertThat(
              q(
                  ch,
                  "SELECT count() FROM tlsrpt.reports r INNER JOIN tlsrpt.report_keys k"
                      + " ON r.report_key = k.report_key AND r.version = k.version"))
          .isEqualTo("2");
      assertThat(q(ch, "SELECT count() FROM tlsrpt.report_keys")).isEqualTo("2");
    }
  }

  @Test
  void theMigrationFillsInTheKeysOfReportsStoredBeforeIt() {
    try (EmbeddedClickHouse ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir)) {
      new Migrations(ch, SchemaOptions.local(DB)).apply();
      String one = report("A", "a1", DAY, sts("example.com", "enforce", 5));
      ReportStore store = new ReportStore(ch, DB);
      store.store(List.of(incoming(one, AT)));
      // a store from before V004: no key table, no record of the migration
      ch.execute("DROP TABLE tlsrpt.report_keys");
      ch.execute("DELETE FROM tlsrpt.schema_migrations WHERE version = 4");

      assertThat(new Migrations(ch, SchemaOptions.local(DB)).apply())
          .extracting(Migrations.Migration::name)
          .containsExactly("report_keys");

      assertThat(q(ch, "SELECT count() FROM tlsrpt.report_keys")).isEqualTo("1");
      // the same report in other bytes is a re-delivery, found through the filled-in key
      StoreResult again = store.store(List.of(incoming(one + " ", AT.plusSeconds(60))));
      assertThat(again.accepted()).isZero();
      assertThat(again.duplicates()).isEqualTo(1);
    }
  }

  @Test
  void aDiscardedReportTakesItsKeyWithIt() {
    try (EmbeddedClickHouse ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir)) {
      new Migrations(ch, SchemaOptions.local(DB)).apply();
      String one = report("A", "a1", DAY, sts("example.com", "enforce", 5));
      ReportStore store = new ReportStore(ch, DB);
      Incoming first = incoming(one, AT);
      store.store(List.of(first));
      store.discard(first);
      assertThat(q(ch, "SELECT count() FROM tlsrpt.report_keys")).isEqualTo("0");
      // so the report, delivered again, is stored and not taken for a re-delivery
      assertThat(store.store(List.of(incoming(one + " ", AT.plusSeconds(60)))).accepted())
          .isEqualTo(1);
    }
  }
}

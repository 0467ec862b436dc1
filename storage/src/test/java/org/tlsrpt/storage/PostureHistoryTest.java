package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/** The posture history on the embedded engine: runs go in whole and the newest comes back. */
class PostureHistoryTest {
  private static final String DB = "tlsrpt";
  private static final Instant FIRST = Instant.parse("2026-03-01T06:00:00Z");
  private static final Instant SECOND = Instant.parse("2026-03-02T06:00:00.250Z");
  private static final String HOSTILE = "it's \\ \"quoted\"\n{x}' OR 1=1 --";

  @TempDir Path dir;
  private EmbeddedClickHouse ch;
  private PostureHistory history;

  @BeforeEach
  void open() {
    ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data"));
    new Migrations(ch, SchemaOptions.local(DB)).apply();
    history = new PostureHistory(ch, DB);
  }

  @AfterEach
  void close() {
    ch.close();
  }

  private static PostureHistory.Finding finding(
      String domain,
      Instant at,
      String id,
      String status,
      String subject,
      Map<String, String> facts) {
    return new PostureHistory.Finding(
        domain, at, id, status, subject, "message of " + id, "remedy of " + id, facts);
  }

  @Test
  void recordsARunExactlyAndReadsTheNewestRunBack() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("days_to_expiry", "10");
    facts.put("note", HOSTILE);
    history.record(
        List.of(
            finding(
                "example.com", FIRST, "dns.mta_sts_txt", "OK", "_mta-sts.example.com", Map.of()),
            finding(
                "example.com",
                FIRST,
                "mx.certificate_expiry",
                "OK",
                "mx1.example.com",
                Map.of("days_to_expiry", "40"))));
    PostureHistory.Finding expiring =
        finding("example.com", SECOND, "mx.certificate_expiry", "WARN", HOSTILE, facts);
    history.record(
        List.of(
            finding(
                "example.com", SECOND, "dns.mta_sts_txt", "OK", "_mta-sts.example.com", Map.of()),
            expiring));
    history.record(List.of()); // nothing to write: nothing written

    List<PostureHistory.Finding> newest = history.newestRun("example.com");

    assertThat(newest)
        .extracting(PostureHistory.Finding::finding, PostureHistory.Finding::status)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("mx.certificate_expiry", "WARN"),
            org.assertj.core.api.Assertions.tuple("dns.mta_sts_txt", "OK"));
    assertThat(newest.getFirst()).isEqualTo(expiring);
    assertThat(newest.getFirst().daysToExpiry()).isEqualTo(10L);
    assertThat(newest.get(1).daysToExpiry()).isNull();
    assertThat(history.lastRun("example.com")).contains(SECOND);
    assertThat(history.lastRun("example.org")).isEmpty();
    assertThat(history.newestRun("example.org")).isEmpty();
    assertThat(history.newestRuns(null, 1)).hasSize(1);
  }

  @Test
  void hostileDomainsAreLiteralsNeverSql() {
    history.record(List.of(finding("example.com", FIRST, "dns.mta_sts_txt", "OK", "x", Map.of())));
    for (String hostile : List.of("x' OR 1=1 --", "example.com' OR '1'='1", "\\", "'", HOSTILE)) {
      assertThat(history.newestRun(hostile)).as(hostile).isEmpty();
      assertThat(history.lastRun(hostile)).as(hostile).isEmpty();
    }
    assertThat(history.newestRuns(null, 10)).hasSize(1);
  }
}

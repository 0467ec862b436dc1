package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * The alert history on the embedded engine: what is recorded comes back, and the cooldown reads.
 */
class AlertHistoryTest {
  private static final String DB = "tlsrpt";
  private static final LocalDate SINCE = LocalDate.parse("2026-01-01");
  private static final Instant T1 = Instant.parse("2026-03-02T08:00:00.125Z");
  private static final Instant T2 = Instant.parse("2026-03-05T09:30:00Z");
  private static final String HOSTILE_ORG = "O'Brien \\ \"Mail\"\n{x}' OR 1=1 --";

  @TempDir Path dir;
  private EmbeddedClickHouse ch;
  private AlertHistory history;

  @BeforeEach
  void open() {
    ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data"));
    new Migrations(ch, SchemaOptions.local(DB)).apply();
    history = new AlertHistory(ch, DB);
  }

  @AfterEach
  void close() {
    ch.close();
  }

  private static Alert alert(String rule, String key, String org, Instant start, Instant end) {
    return new Alert(
        rule,
        key,
        "example.com",
        org,
        "enforce",
        List.of("certificate-expired", "validation-failure"),
        List.of("mx1.example.com", "mx2.example.com"),
        15,
        start,
        end,
        "example.com: 15 session(s) from " + org + " failed",
        "http://dash.test/?domain=example.com");
  }

  @Test
  void recordsEveryFieldExactlyAndReadsThemBackNewestFirst() {
    Alert enforce =
        alert(
            "enforce_failures",
            "example.com|" + HOSTILE_ORG + "|certificate-expired",
            HOSTILE_ORG,
            Instant.parse("2026-03-01T00:00:00Z"),
            Instant.parse("2026-03-01T23:59:59.999Z"));
    Alert spike =
        new Alert(
            "rejected_spike", "", "", "", "", List.of(), List.of(), 0, T2, T2, "12 rejected", "");
    history.record(new AlertHistory.Entry(T1, enforce, List.of("webhook", "email"), "sent"));
    history.record(
        new AlertHistory.Entry(T2, spike, List.of("webhook"), "failed: webhook: HTTP 500"));

    List<AlertHistory.Entry> all = history.recent(SINCE, null, null, 100);

    assertThat(all).extracting(AlertHistory.Entry::firedAt).containsExactly(T2, T1);
    AlertHistory.Entry read = all.get(1);
    // the link is not stored: everything else comes back as it went in
    assertThat(read.alert())
        .isEqualTo(
            new Alert(
                enforce.rule(),
                enforce.key(),
                enforce.policyDomain(),
                enforce.organization(),
                enforce.mode(),
                enforce.resultTypes(),
                enforce.mxHosts(),
                enforce.failedSessions(),
                enforce.windowStart(),
                enforce.windowEnd(),
                enforce.message(),
                ""));
    assertThat(read.channels()).containsExactly("webhook", "email");
    assertThat(read.delivery()).isEqualTo("sent");
    assertThat(read.delivered()).isTrue();
    assertThat(all.get(0).delivered()).isFalse();
    assertThat(history.recent(SINCE, null, HOSTILE_ORG, 100)).hasSize(1);
    assertThat(history.recent(SINCE, "example.com", null, 100)).hasSize(1);
    assertThat(history.recent(LocalDate.parse("2026-03-03"), null, null, 100)).hasSize(1);
    assertThat(history.recent(SINCE, null, null, 1)).hasSize(1);
    assertThat(history.count(SINCE, null, null)).isEqualTo(2);
    assertThat(history.count(SINCE, null, HOSTILE_ORG)).isEqualTo(1);
  }

  @Test
  void theCooldownReadsOnlyDeliveredAlerts() {
    Instant dayStart = Instant.parse("2026-03-01T00:00:00Z");
    Instant dayEnd = Instant.parse("2026-03-01T23:59:59.999Z");
    AlertHistory.RuleKey k = new AlertHistory.RuleKey("enforce_failures", "a|b|c");
    AlertHistory.RuleKey never = new AlertHistory.RuleKey("enforce_failures", "x|y|z");
    history.record(
        new AlertHistory.Entry(
            T1,
            alert(k.rule(), k.key(), "b", dayStart, dayEnd),
            List.of(),
            "no channel configured"));
    history.record(
        new AlertHistory.Entry(
            T2,
            alert(k.rule(), k.key(), "b", dayStart, dayEnd),
            List.of("webhook"),
            "failed: webhook: connection refused"));
    history.record(
        new AlertHistory.Entry(
            T2,
            alert(never.rule(), never.key(), "y", dayStart, dayEnd),
            List.of("webhook"),
            "failed: webhook: connection refused"));

    assertThat(history.lastDelivered()).containsExactly(java.util.Map.entry(k, T1));
    assertThat(history.lastDelivered(k)).contains(T1);
    assertThat(history.lastDelivered(never)).isEmpty();
    assertThat(history.deliveredWindowEndingFrom(k, dayStart)).isTrue();
    assertThat(history.deliveredWindowEndingFrom(k, dayEnd.plusMillis(1))).isFalse();
    assertThat(history.deliveredWindowEndingFrom(never, dayStart)).isFalse();
  }

  @Test
  void hostileValuesAreLiteralsNeverSql() {
    history.record(
        new AlertHistory.Entry(
            T1,
            alert("enforce_failures", "example.com|" + HOSTILE_ORG + "|x", HOSTILE_ORG, T1, T1),
            List.of(),
            "sent"));
    for (String hostile :
        List.of("x' OR 1=1 --", "x\\' OR 1=1 --", "\\", "'", "' OR '1'='1", "O'Brien \\")) {
      AlertHistory.RuleKey k = new AlertHistory.RuleKey(hostile, hostile);
      assertThat(history.lastDelivered(k)).as(hostile).isEmpty();
      assertThat(history.deliveredWindowEndingFrom(k, T1.minusSeconds(60))).as(hostile).isFalse();
      assertThat(history.recent(SINCE, hostile, null, 10)).as(hostile).isEmpty();
      assertThat(history.recent(SINCE, null, hostile, 10)).as(hostile).isEmpty();
      assertThat(history.count(SINCE, hostile, hostile)).as(hostile).isZero();
    }
    assertThat(history.count(SINCE, null, null)).isEqualTo(1);
  }
}

package org.tlsrpt.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Settings;
import org.tlsrpt.storage.ReadinessQueries.Day;
import org.tlsrpt.storage.ReadinessQueries.Evidence;
import org.tlsrpt.storage.ReadinessQueries.FailureGroup;
import org.tlsrpt.storage.ReadinessQueries.Reporter;

/** The verdict from evidence records alone: the cases the store test does not craft. */
class ReadinessJudgeTest {
  private static final LocalDate TODAY = LocalDate.parse("2026-03-31");
  private static final LocalDate SINCE = LocalDate.parse("2026-03-02");
  private final ReadinessJudge judge = new ReadinessJudge(ReadinessSettings.defaults());

  /** 20 days to the 30th with {@code ok} and {@code failed} sessions a day from two reporters. */
  private static Evidence evidence(String mode, long ok, long[] failed, List<FailureGroup> groups) {
    List<Day> days = new ArrayList<>();
    long sumOk = 0;
    long sumFailed = 0;
    for (int i = 0; i < 20; i++) {
      days.add(new Day(LocalDate.parse("2026-03-11").plusDays(i), ok, failed[i]));
      sumOk += ok;
      sumFailed += failed[i];
    }
    return new Evidence(
        "example.com",
        mode,
        SINCE,
        days,
        List.of(
            new Reporter("A", LocalDate.parse("2026-03-11"), TODAY.minusDays(1), 20, sumOk / 2, 0),
            new Reporter(
                "B",
                LocalDate.parse("2026-03-11"),
                TODAY.minusDays(1),
                20,
                sumOk - sumOk / 2,
                sumFailed)),
        groups,
        List.of());
  }

  private static long[] each(long n) {
    long[] a = new long[20];
    java.util.Arrays.fill(a, n);
    return a;
  }

  @Test
  void failuresWithoutDetailsCountAsUnspecifiedForTheirReporter() {
    Assessment a = judge.judge(evidence("testing", 100, each(1), List.of()), TODAY);
    assertThat(a.verdict()).isEqualTo(Verdict.NOT_READY);
    assertThat(a.reasons())
        .containsExactly(
            new Reason(
                "failures",
                "B reports unspecified on an MX host it does not name: 20 of 2,020 sessions"
                    + " (0.99%) would be refused under enforce",
                "read the failure details B sends for example.com (dashboard, Failure details) and"
                    + " ask it what failed"));
  }

  @Test
  void manySmallFailuresAboveTheShareTogetherBlockAsOne() {
    List<FailureGroup> groups = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      groups.add(
          new FailureGroup("B", "mx" + i + ".example.com", "validation-failure", 2, null, null));
    }
    // 40 of 20,040 sessions: each MX 0.01%, together 0.2%
    Assessment a = judge.judge(evidence("testing", 1000, each(2), groups), TODAY);
    assertThat(a.reasons())
        .extracting(Reason::text)
        .containsExactly(
            "40 of 20,040 sessions (0.20%) failed, none of one sender, MX host and result type"
                + " above 0.1% alone");
    assertThat(a.verdict()).isEqualTo(Verdict.NOT_READY);
  }

  @Test
  void failuresBelowTheShareLeaveADomainReadyAndTheTrendSaysTheyGrow() {
    long[] failed = new long[20];
    failed[19] = 1;
    Assessment a =
        judge.judge(
            evidence(
                "testing",
                100,
                failed,
                List.of(
                    new FailureGroup("B", "mx.example.com", "certificate-expired", 1, null, null))),
            TODAY);
    assertThat(a.verdict()).isEqualTo(Verdict.READY);
    assertThat(a.trend()).isEqualTo("growing");
  }

  @Test
  void anEnforceDomainRefusingLittleIsRightToStay() {
    long[] failed = new long[20];
    failed[0] = 1;
    Assessment a =
        judge.judge(
            evidence(
                "enforce",
                1000,
                failed,
                List.of(
                    new FailureGroup("B", "mx.example.com", "certificate-expired", 1, null, null))),
            TODAY);
    assertThat(a.verdict()).isEqualTo(Verdict.ENFORCED);
    assertThat(a.summary())
        .isEqualTo(
            "example.com enforces its policy: 1 of 20,001 sessions refused (0.00%), within the"
                + " 0.1% allowed: staying in enforce is right");
    assertThat(a.reasons()).isEmpty();
    assertThat(a.trend()).isEqualTo("shrinking");
  }

  @Test
  void theThresholdsAreSettingsAndABadShareNamesItsKey() {
    Settings s =
        Settings.load(
            null,
            Map.of("TLSRPT_READINESS_MAX_FAILURE_PERCENT", "2.5", "TLSRPT_READINESS_MIN_DAYS", "7"),
            ReadinessSettings.ALL);
    ReadinessSettings r = ReadinessSettings.from(s);
    assertThat(r.maxFailurePercent()).isEqualByComparingTo(new BigDecimal("2.5"));
    assertThat(r.minDays()).isEqualTo(7);
    assertThat(r.minReporters()).isEqualTo(2);
    Settings bad =
        Settings.load(
            null, Map.of("TLSRPT_READINESS_MAX_FAILURE_PERCENT", "101"), ReadinessSettings.ALL);
    assertThatThrownBy(() -> ReadinessSettings.from(bad))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("readiness.max_failure_percent")
        .hasMessageContaining("a percentage from 0 to 100 such as 0.1");
  }

  @Test
  void anEnforceDomainWithLittleEvidenceSaysSoBesideWhatItRefused() {
    Evidence one =
        new Evidence(
            "example.com",
            "enforce",
            SINCE,
            List.of(new Day(TODAY.minusDays(1), 2, 0)),
            List.of(new Reporter("A", TODAY.minusDays(1), TODAY.minusDays(1), 1, 2, 0)),
            List.of(),
            List.of());
    Assessment a = judge.judge(one, TODAY);
    assertThat(a.verdict()).isEqualTo(Verdict.ENFORCED);
    assertThat(a.notes())
        .containsExactly(
            "no posture check stored for example.com: add it to check.domains to have its MX"
                + " hosts, certificates and policy file checked too",
            "only 1 day with reports in the window; 14 needed (readiness.min_days)",
            "only 2 sessions reported in the window; 1,000 needed (readiness.min_sessions)",
            "only 1 reporter still reporting; 2 needed (readiness.min_reporters)");
  }
}

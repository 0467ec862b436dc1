package org.tlsrpt.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.readiness.Reports.failure;
import static org.tlsrpt.readiness.Reports.report;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.PostureHistory;
import org.tlsrpt.storage.ReadinessQueries;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import org.tlsrpt.testkit.EmbeddedEngine;

/**
 * The verdicts on crafted report sets written through the real store on the embedded engine, as of
 * 2026-03-31, over the window from 2026-03-02, with the default thresholds (0.1%, 14 days, 1,000
 * sessions, 2 reporters, silent after 3 days). Every domain has reports from the 11th to the 30th
 * (20 days) unless said otherwise; the reasons are checked word for word.
 */
class ReadinessStoreTest {
  private static final String DB = "tlsrpt";
  private static final LocalDate TODAY = LocalDate.parse("2026-03-31");
  private static final LocalDate SINCE = LocalDate.parse("2026-03-02");
  private static final LocalDate FIRST = LocalDate.parse("2026-03-11");
  private static final String GOOGLE = "Google LLC";
  private static final String MICROSOFT = "Microsoft Corporation";
  private static final String MAILRU = "Mail.ru";

  @TempDir static Path dir;
  private static EmbeddedClickHouse ch;
  private static Readiness readiness;

  @BeforeAll
  static void load() {
    ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data"));
    new Migrations(ch, SchemaOptions.local(DB)).apply();
    List<Incoming> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      LocalDate day = FIRST.plusDays(i);
      // clean: ready
      batch.add(report(GOOGLE, day, "ready.example", "testing", 100));
      batch.add(report(MICROSOFT, day, "ready.example", "testing", 60));
      // one sender fails on the backup MX every day; a single STARTTLS failure stays below 0.1%
      batch.add(
          i == 3
              ? report(
                  GOOGLE,
                  day,
                  "failing.example",
                  "testing",
                  100,
                  failure("starttls-not-supported", "mx1.failing.example", 1, null))
              : report(GOOGLE, day, "failing.example", "testing", 100));
      batch.add(
          report(
              MICROSOFT,
              day,
              "failing.example",
              "testing",
              50,
              failure(
                  "certificate-host-mismatch",
                  "mx2.failing.example",
                  5,
                  "certificate is for mail.failing.example")));
      // Microsoft stops reporting after the 20th
      batch.add(report(GOOGLE, day, "silent.example", "testing", 100));
      batch.add(report(MAILRU, day, "silent.example", "testing", 10));
      if (day.isBefore(LocalDate.parse("2026-03-21"))) {
        batch.add(report(MICROSOFT, day, "silent.example", "testing", 60));
      }
      // clean reports, but the posture check finds trouble
      batch.add(report(GOOGLE, day, "posture.example", "testing", 100));
      batch.add(report(MICROSOFT, day, "posture.example", "testing", 60));
      // enforcing: an expired certificate on mx2 from the 13th to the 16th
      boolean expired = i >= 2 && i <= 5;
      batch.add(report(GOOGLE, day, "enforce.example", "enforce", 200));
      batch.add(
          expired
              ? report(
                  MICROSOFT,
                  day,
                  "enforce.example",
                  "enforce",
                  100,
                  failure("certificate-expired", "mx2.enforce.example", 30, null))
              : report(MICROSOFT, day, "enforce.example", "enforce", 100));
      // five days, one reporter
      if (i >= 15) {
        batch.add(report(GOOGLE, day, "thin.example", "testing", 50));
      }
    }
    new ReportStore(ch, DB).store(batch);
    Instant checked = Instant.parse("2026-03-31T06:00:00Z");
    new PostureHistory(ch, DB)
        .record(
            List.of(
                finding(
                    checked,
                    "policy.mode",
                    "WARN",
                    "https://mta-sts.posture.example/",
                    "mode testing",
                    "move to enforce"),
                finding(checked, "mx.smtp", "OK", "mx1.posture.example", "220 ok", ""),
                finding(
                    checked,
                    "dane.tlsa_records",
                    "WARN",
                    "_25._tcp.mx1.posture.example",
                    "no usable TLSA record",
                    "publish one"),
                finding(
                    checked,
                    "cross.mx_not_covered",
                    "WARN",
                    "",
                    "MX host mx3.posture.example is not covered by the policy's mx lines",
                    "add mx: mx3.posture.example to the policy"),
                finding(
                    checked,
                    "mx.certificate_expiry",
                    "WARN",
                    "mx1.posture.example",
                    "the certificate expires in 5 days",
                    "renew it"),
                finding(
                    checked,
                    "policy.fetch",
                    "FAIL",
                    "https://mta-sts.posture.example/.well-known/mta-sts.txt",
                    "connection refused",
                    "serve the policy over HTTPS")));
    Summaries summaries = new Summaries(ch, DB);
    readiness =
        new Readiness(
            new ReadinessQueries(ch, DB, summaries),
            ReadinessSettings.defaults(),
            Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
  }

  private static PostureHistory.Finding finding(
      Instant at, String id, String status, String subject, String message, String remedy) {
    return new PostureHistory.Finding(
        "posture.example", at, id, status, subject, message, remedy, Map.of());
  }

  @AfterAll
  static void close() {
    ch.close();
  }

  private static Assessment one(String domain) {
    List<Assessment> a = readiness.assess(SINCE, List.of(domain));
    assertThat(a).hasSize(1);
    return a.getFirst();
  }

  @Test
  void listsEveryTestingAndEnforceDomainByName() {
    assertThat(readiness.assess(SINCE, List.of()))
        .extracting(Assessment::domain, Assessment::mode, Assessment::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "enforce.example", "enforce", Verdict.ENFORCED_LOSING_MAIL),
            org.assertj.core.groups.Tuple.tuple("failing.example", "testing", Verdict.NOT_READY),
            org.assertj.core.groups.Tuple.tuple("posture.example", "testing", Verdict.NOT_READY),
            org.assertj.core.groups.Tuple.tuple("ready.example", "testing", Verdict.READY),
            org.assertj.core.groups.Tuple.tuple("silent.example", "testing", Verdict.NOT_READY),
            org.assertj.core.groups.Tuple.tuple(
                "thin.example", "testing", Verdict.NOT_ENOUGH_DATA));
  }

  @Test
  void aCleanDomainWithEnoughEvidenceIsReady() {
    Assessment a = one("Ready.Example");
    assertThat(a.verdict()).isEqualTo(Verdict.READY);
    assertThat(a.summary())
        .isEqualTo(
            "ready.example can move to mode: enforce: 0 of 3,200 sessions failed (0.00%, at most"
                + " 0.1% allowed) over 20 days from 2 reporters");
    assertThat(a.reasons()).isEmpty();
    assertThat(a.trend()).isEqualTo("no failures");
    assertThat(a.notes())
        .containsExactly(
            "no posture check stored for ready.example: add it to check.domains to have its MX"
                + " hosts, certificates and policy file checked too");
  }

  @Test
  void aSenderFailingOnOneMxAboveTheShareBlocksWithWhatToDo() {
    Assessment a = one("failing.example");
    assertThat(a.verdict()).isEqualTo(Verdict.NOT_READY);
    assertThat(a.summary())
        .isEqualTo("failing.example is not ready for mode: enforce: 1 blocking reason");
    assertThat(a.reasons())
        .containsExactly(
            new Reason(
                "failures",
                "Microsoft Corporation reports certificate-host-mismatch on mx2.failing.example:"
                    + " 100 of 3,101 sessions (3.22%) would be refused under enforce; it says"
                    + " \"certificate is for mail.failing.example\"",
                "give mx2.failing.example a certificate whose subjectAltName names"
                    + " mx2.failing.example"));
    assertThat(a.sessions()).isEqualTo(3101);
    assertThat(a.failed()).isEqualTo(101);
    assertThat(a.trend()).isEqualTo("steady");
    assertThat(a.senders())
        .containsExactly(
            new Assessment.Split(MICROSOFT, 1100L, 100), new Assessment.Split(GOOGLE, 2001L, 1));
    assertThat(a.mxHosts())
        .containsExactly(
            new Assessment.Split("mx2.failing.example", null, 100),
            new Assessment.Split("mx1.failing.example", null, 1));
    assertThat(a.resultTypes())
        .containsExactly(
            new Assessment.Split("certificate-host-mismatch", null, 100),
            new Assessment.Split("starttls-not-supported", null, 1));
  }

  @Test
  void aReporterThatWentSilentBlocks() {
    Assessment a = one("silent.example");
    assertThat(a.verdict()).isEqualTo(Verdict.NOT_READY);
    assertThat(a.reasons())
        .containsExactly(
            new Reason(
                "silent_reporter",
                "Microsoft Corporation has not reported since 2026-03-20 (11 days): what it sends"
                    + " now is not known",
                "find out whether Microsoft Corporation still sends mail to silent.example and"
                    + " whether its reports reach the rua of _smtp._tls.silent.example"));
    assertThat(a.reporters())
        .containsExactly(
            new Assessment.ReporterState(GOOGLE, LocalDate.parse("2026-03-30"), 20, 2000, false),
            new Assessment.ReporterState(MAILRU, LocalDate.parse("2026-03-30"), 20, 200, false),
            new Assessment.ReporterState(MICROSOFT, LocalDate.parse("2026-03-20"), 10, 600, true));
  }

  @Test
  void postureFindingsThatEnforceTurnsIntoFailuresBlock() {
    Assessment a = one("posture.example");
    assertThat(a.verdict()).isEqualTo(Verdict.NOT_READY);
    assertThat(a.summary())
        .isEqualTo("posture.example is not ready for mode: enforce: 3 blocking reasons");
    assertThat(a.reasons())
        .containsExactly(
            new Reason(
                "posture",
                "posture check policy.fetch FAIL on"
                    + " https://mta-sts.posture.example/.well-known/mta-sts.txt: connection refused",
                "serve the policy over HTTPS"),
            new Reason(
                "posture",
                "posture check cross.mx_not_covered WARN: MX host mx3.posture.example is not"
                    + " covered by the policy's mx lines",
                "add mx: mx3.posture.example to the policy"),
            new Reason(
                "posture",
                "posture check mx.certificate_expiry WARN on mx1.posture.example: the certificate"
                    + " expires in 5 days",
                "renew it"));
    assertThat(a.postureCheckedAt()).isEqualTo(Instant.parse("2026-03-31T06:00:00Z"));
    assertThat(a.notes()).isEmpty();
  }

  @Test
  void fewDaysFewSessionsAndOneReporterAreNotEnoughData() {
    Assessment a = one("thin.example");
    assertThat(a.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
    assertThat(a.summary())
        .isEqualTo(
            "thin.example: not enough data to judge (250 sessions over 5 days from 1 reporter)");
    assertThat(a.reasons())
        .extracting(Reason::text)
        .containsExactly(
            "only 5 days with reports in the window; 14 needed (readiness.min_days)",
            "only 250 sessions reported in the window; 1,000 needed (readiness.min_sessions)",
            "only 1 reporter still reporting; 2 needed (readiness.min_reporters)");
  }

  @Test
  void anEnforceDomainShowsTheMailItRefusedAndThatTestingWasWarranted() {
    Assessment a = one("enforce.example");
    assertThat(a.verdict()).isEqualTo(Verdict.ENFORCED_LOSING_MAIL);
    assertThat(a.summary())
        .isEqualTo(
            "enforce.example enforces its policy and loses mail: 120 of 6,120 sessions refused"
                + " (1.96%), above the 0.1% allowed: going back to testing would have been"
                + " warranted");
    assertThat(a.reasons())
        .containsExactly(
            new Reason(
                "failures",
                "Microsoft Corporation reports certificate-expired on mx2.enforce.example: 120 of"
                    + " 6,120 sessions (1.96%) refused",
                "renew the certificate of mx2.enforce.example and automate its renewal"));
    assertThat(a.trend()).isEqualTo("shrinking");
    assertThat(a.failures())
        .containsExactly(
            new ReadinessQueries.FailureGroup(
                MICROSOFT, "mx2.enforce.example", "certificate-expired", 120, null, null));
    assertThat(a.alertsLink()).isEqualTo("?domain=enforce.example#alerts");
  }

  @Test
  void aDomainNoReportNamesIsNotEnoughData() {
    Assessment a = one("nothing.example");
    assertThat(a.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
    assertThat(a.mode()).isEqualTo("unknown");
    assertThat(a.summary())
        .isEqualTo(
            "nothing.example: no report names it under an MTA-STS policy in testing or enforce"
                + " mode since 2026-03-02");
  }
}

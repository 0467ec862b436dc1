package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.storage.CraftedReports.failure;
import static org.tlsrpt.storage.CraftedReports.incoming;
import static org.tlsrpt.storage.CraftedReports.rejected;
import static org.tlsrpt.storage.CraftedReports.report;
import static org.tlsrpt.storage.CraftedReports.sts;
import static org.tlsrpt.storage.CraftedReports.tlsa;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * The alert rules' figures on the embedded engine, over reports whose figures are known: enforce
 * and DANE failures on the 8th and 9th of March, a domain whose failure rate jumps on the 9th, a
 * daily reporter that stops after the 7th, and rejected inputs in the hour before noon on the 10th.
 */
class AlertRuleQueriesTest {
  private static final String DB = "tlsrpt";
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private static final LocalDate DAY = LocalDate.parse("2026-03-09");

  @TempDir static Path dir;
  private static EmbeddedClickHouse ch;
  private static AlertRuleQueries figures;

  @BeforeAll
  static void load() {
    ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data"));
    new Migrations(ch, SchemaOptions.local(DB)).apply();
    List<Incoming> batch = new ArrayList<>();
    batch.add(
        incoming(
            report(
                "Mail Sender",
                "m9",
                DAY,
                sts(
                    "example.com",
                    "enforce",
                    900,
                    failure("certificate-expired", "mx1.example.com", 12),
                    failure("certificate-expired", "mx2.example.com", 3),
                    failure("starttls-not-supported", "mx2.example.com", 5)),
                sts(
                    "example.org",
                    "testing",
                    10,
                    failure("certificate-expired", "mx.example.org", 7)),
                tlsa("dane.example", 0, failure("certificate-expired", "mx.dane.example", 4))),
            NOW));
    batch.add(
        incoming(
            report(
                "Mail Sender",
                "m8",
                DAY.minusDays(1),
                sts(
                    "example.com",
                    "enforce",
                    10,
                    failure("certificate-expired", "mx1.example.com", 1))),
            NOW));
    for (int d = 1; d <= 9; d++) {
      LocalDate day = LocalDate.of(2026, 3, d);
      boolean jump = d == 9; // 1% failures for a week, then 20%
      batch.add(
          incoming(
              report(
                  "Steady Sender",
                  "s" + d,
                  day,
                  sts(
                      "a.example.com",
                      "testing",
                      jump ? 800 : 990,
                      failure("certificate-expired", "mx.a.example.com", jump ? 200 : 10))),
              NOW));
      if (d <= 7) {
        batch.add(
            incoming(report("Quiet Org", "q" + d, day, sts("b.example.com", "testing", 50)), NOW));
      }
    }
    for (int i = 0; i < 12; i++) {
      batch.add(rejected(NOW.minus(Duration.ofMinutes(5 + i))));
    }
    for (int h = 3; h <= 5; h++) {
      batch.add(rejected(NOW.minus(Duration.ofHours(h))));
    }
    batch.add(rejected(NOW.minus(Duration.ofHours(30)))); // before the day looked at
    new ReportStore(ch, DB).store(batch);
    Summaries summaries = new Summaries(ch, DB);
    summaries.refresh();
    figures = new AlertRuleQueries(ch, DB, summaries);
  }

  @AfterAll
  static void close() {
    ch.close();
  }

  @Test
  void countsFailuresUnderEnforcedPoliciesPerDomainOrganizationAndResultType() {
    assertThat(figures.enforceFailures(DAY.minusDays(1)))
        .containsExactlyInAnyOrder(
            new AlertRuleQueries.EnforceFailures(
                "example.com",
                "Mail Sender",
                "enforce",
                "certificate-expired",
                16,
                List.of("mx1.example.com", "mx2.example.com"),
                DAY.minusDays(1),
                DAY),
            new AlertRuleQueries.EnforceFailures(
                "example.com",
                "Mail Sender",
                "enforce",
                "starttls-not-supported",
                5,
                List.of("mx2.example.com"),
                DAY,
                DAY),
            new AlertRuleQueries.EnforceFailures(
                "dane.example",
                "Mail Sender",
                "dane",
                "certificate-expired",
                4,
                List.of("mx.dane.example"),
                DAY,
                DAY));
    assertThat(figures.enforceFailures(DAY.plusDays(1))).isEmpty();
  }

  @Test
  void comparesADaysSessionsWithTheDaysBefore() {
    assertThat(figures.failureRates(DAY, DAY.minusDays(7), 100))
        .containsExactlyInAnyOrder(
            new AlertRuleQueries.DomainRate("a.example.com", 200, 1000, 70, 7000, "testing"),
            new AlertRuleQueries.DomainRate("example.com", 20, 920, 1, 11, "enforce"));
    assertThat(figures.failureRates(DAY, DAY.minusDays(7), 1000))
        .extracting(AlertRuleQueries.DomainRate::policyDomain)
        .containsExactly("a.example.com");
  }

  @Test
  void findsADailyReporterThatFellSilent() {
    LocalDate quietFrom = DAY.minusDays(1);
    assertThat(figures.silentReporters(quietFrom.minusDays(7), quietFrom, 5))
        .containsExactly(new AlertRuleQueries.SilentReporter("Quiet Org", DAY.minusDays(2)));
    assertThat(figures.silentReporters(quietFrom.minusDays(7), quietFrom, 8)).isEmpty();
  }

  @Test
  void countsRejectedInputsOfTheLastHourAndTheDayBefore() {
    Instant hourAgo = NOW.minus(Duration.ofHours(1));
    assertThat(figures.rejected(hourAgo.minus(Duration.ofHours(24)), hourAgo, NOW))
        .isEqualTo(new AlertRuleQueries.Rejections(12, 3));
  }
}

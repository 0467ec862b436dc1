package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.storage.CraftedReports.incoming;
import static org.tlsrpt.storage.CraftedReports.report;
import static org.tlsrpt.storage.CraftedReports.sts;
import static org.tlsrpt.storage.CraftedReports.tlsa;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/** The policies senders reported, read from stored reports on the embedded engine. */
class ReportedStsPoliciesTest {
  private static final String DB = "tlsrpt";
  private static final Instant AT = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path dir;

  @Test
  void findsEachOrganizationsLatestStsPolicyOnTheDomainAndTakesValuesAsLiterals() {
    try (EmbeddedClickHouse ch =
        EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data"))) {
      new Migrations(ch, SchemaOptions.local(DB)).apply();
      LocalDate day = LocalDate.parse("2026-03-09");
      new ReportStore(ch, DB)
          .store(
              List.of(
                  incoming(
                      report("A Sender", "a0", day.minusDays(2), sts("example.com", "testing", 5)),
                      AT),
                  incoming(report("A Sender", "a1", day, sts("example.com", "enforce", 5)), AT),
                  incoming(
                      report("O'Brien \\ Mail", "o1", day, sts("example.com", "enforce", 5)), AT),
                  incoming(
                      report("Old Sender", "x1", day.minusDays(40), sts("example.com", "none", 5)),
                      AT),
                  incoming(report("DANE Sender", "d1", day, tlsa("example.com", 5)), AT),
                  incoming(report("Other", "n1", day, sts("example.net", "enforce", 5)), AT)));
      ReportedStsPolicies reported = new ReportedStsPolicies(ch, DB);

      List<ReportedStsPolicies.Latest> latest =
          reported.latest(
              "example.com", day.minusDays(30).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());

      assertThat(latest)
          .extracting(ReportedStsPolicies.Latest::organization)
          .containsExactly("A Sender", "O'Brien \\ Mail");
      assertThat(latest.getFirst().policyStrings())
          .containsExactly(
              "version: STSv1", "mode: enforce", "mx: *.example.com", "max_age: 86400");
      assertThat(latest.getFirst().dateEnd()).isEqualTo(Instant.parse("2026-03-09T23:59:59Z"));
      for (String hostile : List.of("x' OR 1=1 --", "example.com' OR '1'='1", "\\", "'")) {
        assertThat(reported.latest(hostile, Instant.EPOCH)).as(hostile).isEmpty();
      }
    }
  }
}

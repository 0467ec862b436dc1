package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.dashboards.Expect.single;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.ReportKey;
import org.tlsrpt.parser.rules.Warning;
import org.tlsrpt.storage.Incoming;

/**
 * The public sample reports of real reporters (Google, Microsoft, Mail.ru, the RFC's example...),
 * read through the dashboards over a range that holds them all, add up to what the parsed reports
 * say, counted here from the parser's model.
 */
class DashboardSamplesTest {
  @TempDir static Path dir;
  private static TlsrptFixture store;
  private static Sums sums;

  @BeforeAll
  static void open() {
    store = TlsrptFixture.open(dir);
    sums = Sums.of(store.samples());
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
  }

  /** What the samples hold, each report counted once (the RFC example is in three files). */
  record Sums(
      long successful,
      long failed,
      Set<String> domainReports,
      Map<String, long[]> byOrganization,
      Map<String, Long> failedByResultType,
      Map<String, Long> reportsWithWarning,
      Map<String, Long> rejectedByCode) {

    static Sums of(List<Incoming> inputs) {
      long ok = 0;
      long failed = 0;
      Set<String> domainReports = new HashSet<>();
      Map<String, long[]> byOrg = new TreeMap<>();
      Map<String, Long> byResult = new TreeMap<>();
      Map<String, Long> warnings = new TreeMap<>();
      Map<String, Long> rejected = new TreeMap<>();
      Set<ReportKey> seen = new HashSet<>();
      for (Incoming in : inputs) {
        if (in.outcome() instanceof ParseOutcome.Rejected r) {
          rejected.merge(r.code().wire(), 1L, Long::sum);
          continue;
        }
        for (ParsedReport p : ((ParseOutcome.Parsed) in.outcome()).reports()) {
          if (!seen.add(p.report().key())) {
            continue;
          }
          String org = p.report().organizationName();
          Set<String> domains = new HashSet<>();
          for (PolicyResult pr : p.report().policies()) {
            String domain = pr.policyDomain() == null ? "" : pr.policyDomain();
            domains.add(domain);
            domainReports.add(p.report().key() + "|" + domain);
            ok += pr.successfulSessions();
            failed += pr.failedSessions();
            long[] o = byOrg.computeIfAbsent(org, k -> new long[3]);
            o[0] += pr.successfulSessions();
            o[1] += pr.failedSessions();
            for (FailureDetail f : pr.failures()) {
              byResult.merge(f.resultType().wire(), f.failedSessionCount(), Long::sum);
            }
          }
          byOrg.get(org)[2] += domains.size();
          for (Warning w : p.warnings()) {
            warnings.merge(w.message() + " | " + org, 1L, Long::sum);
          }
        }
      }
      return new Sums(ok, failed, domainReports, byOrg, byResult, warnings, rejected);
    }
  }

  private static QueryRows run(String uid, String panel) {
    DashboardFiles.Dashboard d = DashboardFiles.byUid(uid);
    return store.query(
        GrafanaSql.expand(
            d.panel(panel).sql(), TlsrptFixture.SAMPLES_RANGE, DashboardQueriesTest.allOf(d)));
  }

  @Test
  void theOverviewAddsUpTheSessionsAndReportsOfTheSamples() {
    assertThat(sums.successful()).as("the samples hold sessions").isPositive();
    assertThat(
            single(run("tlsrpt-overview", "Successful sessions"), "Successful sessions")
                .longValueExact())
        .isEqualTo(sums.successful());
    assertThat(
            single(run("tlsrpt-overview", "Failed sessions"), "Failed sessions").longValueExact())
        .isEqualTo(sums.failed());
    assertThat(single(run("tlsrpt-overview", "Reports"), "Reports").longValueExact())
        .isEqualTo(sums.domainReports().size());
  }

  @Test
  void everySendingOrganizationOfTheSamplesHasItsSessionsAndReports() {
    Map<String, List<Long>> shown = new TreeMap<>();
    for (QueryRows.Row r : run("tlsrpt-organizations", "Sending organizations").all()) {
      shown.put(
          r.text("Organization"),
          List.of(r.lng("Successful sessions"), r.lng("Failed sessions"), r.lng("Reports")));
    }
    Map<String, List<Long>> parsed = new TreeMap<>();
    sums.byOrganization().forEach((org, s) -> parsed.put(org, List.of(s[0], s[1], s[2])));
    assertThat(parsed).containsKeys("Google Inc.", "Microsoft Corporation", "Mail.ru", "Company-X");
    assertThat(shown).isEqualTo(parsed);
  }

  @Test
  void failureDetailsAndResultTypesAddUpToTheSamplesFailureDetails() {
    Map<String, Long> shown = new TreeMap<>();
    for (QueryRows.Row r : run("tlsrpt-overview", "Failed sessions by result type").all()) {
      shown.put(r.text("Result type"), r.lng("Failed sessions"));
    }
    assertThat(shown).isEqualTo(sums.failedByResultType());
    long details = sums.failedByResultType().values().stream().mapToLong(Long::longValue).sum();
    assertThat(Expect.sum(run("tlsrpt-failures", "Failure details"), "Failed sessions"))
        .isEqualTo(details);
    assertThat(Expect.sum(run("tlsrpt-failures", "Reason codes"), "Failed sessions"))
        .isEqualTo(details);
    // the RFC example's validation failure carries its X509 reason code
    assertThat(run("tlsrpt-failures", "Reason codes").column("Reason code"))
        .contains("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
  }

  @Test
  void theWarningsOfQuirkyReportsAreListedPerReporter() {
    Map<String, Long> shown = new LinkedHashMap<>();
    for (QueryRows.Row r : run("tlsrpt-reporters", "Warnings on quirky reports").all()) {
      shown.put(r.text("Warning") + " | " + r.text("Organization"), r.lng("Reports"));
    }
    assertThat(sums.reportsWithWarning()).as("the samples have quirks").isNotEmpty();
    assertThat(new TreeMap<>(shown)).isEqualTo(sums.reportsWithWarning());
  }

  @Test
  void theRejectedSamplesAreListedByCode() {
    Map<String, Long> shown = new TreeMap<>();
    for (QueryRows.Row r : run("tlsrpt-reporters", "Rejections by code").all()) {
      assertThat(r.text("Status")).isEqualTo("rejected");
      shown.put(r.text("Code"), r.lng("Inputs"));
    }
    assertThat(sums.rejectedByCode()).as("some samples are no reports").isNotEmpty();
    assertThat(shown).isEqualTo(sums.rejectedByCode());
  }
}

package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.DashboardQueries.Filter;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * The dashboard's reads on the embedded engine, over crafted reports whose figures are known: two
 * days, three organizations (one named with a quote and a backslash), three policy domains and
 * modes, a report outside the window, a duplicate, rejected and quarantined inputs, alerts.
 */
class DashboardQueriesTest {
  private static final String DB = "tlsrpt";
  private static final LocalDate SINCE = LocalDate.parse("2026-01-01");
  private static final String OBRIEN = "O'Brien \\ Mail";
  private static final Instant AT = Instant.parse("2026-03-03T10:00:00Z");

  @TempDir Path dir;
  private EmbeddedClickHouse ch;
  private DashboardQueries q;
  private final ReportParser parser = new ReportParser();

  @BeforeEach
  void open() {
    ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data"));
    new Migrations(ch, SchemaOptions.local(DB)).apply();
    q = new DashboardQueries(ch, DB, new Summaries(ch, DB));
  }

  @AfterEach
  void close() {
    ch.close();
  }

  private static String failure(
      String type, String ip, String mx, String rip, long n, String code) {
    return "{\"result-type\":\""
        + type
        + "\",\"sending-mta-ip\":\""
        + ip
        + "\",\"receiving-mx-hostname\":\""
        + mx
        + "\",\"receiving-ip\":\""
        + rip
        + "\",\"failed-session-count\":"
        + n
        + (code == null ? "" : ",\"failure-reason-code\":\"" + code + "\"")
        + "}";
  }

  private static String policy(
      String type, String domain, String mode, long ok, long failed, String... failures) {
    String strings =
        type.equals("sts")
            ? ",\"policy-string\":[\"version: STSv1\",\"mode: "
                + mode
                + "\",\"mx: *."
                + domain
                + "\",\"max_age: 86400\"]"
            : "";
    return "{\"policy\":{\"policy-type\":\""
        + type
        + "\""
        + strings
        + ",\"policy-domain\":\""
        + domain
        + "\"},\"summary\":{\"total-successful-session-count\":"
        + ok
        + ",\"total-failure-session-count\":"
        + failed
        + "}"
        + (failures.length == 0 ? "" : ",\"failure-details\":[" + String.join(",", failures) + "]")
        + "}";
  }

  private static byte[] report(String org, String id, String day, String... policies) {
    String jsonOrg = org.replace("\\", "\\\\").replace("\"", "\\\"");
    return ("{\"organization-name\":\""
            + jsonOrg
            + "\",\"date-range\":{\"start-datetime\":\""
            + day
            + "T00:00:00Z\",\"end-datetime\":\""
            + day
            + "T23:59:59Z\"},\"contact-info\":\"tlsrpt@reporter.example\",\"report-id\":\""
            + id
            + "\",\"policies\":["
            + String.join(",", policies)
            + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] google() {
    return report(
        "Google Inc.",
        "g1",
        "2026-03-01",
        policy(
            "sts",
            "example.com",
            "enforce",
            100,
            10,
            failure("certificate-expired", "198.51.100.1", "mx2.example.com", "192.0.2.2", 7, null),
            failure(
                "starttls-not-supported",
                "198.51.100.1",
                "mx1.example.com",
                "192.0.2.1",
                3,
                "STARTTLS not offered")),
        policy(
            "sts",
            "example.net",
            "testing",
            50,
            5,
            failure(
                "certificate-host-mismatch",
                "198.51.100.1",
                "backup.example.net",
                "192.0.2.9",
                5,
                null)));
  }

  private Incoming in(byte[] raw, Source source, Instant at, String quarantine) {
    return new Incoming(parser.parse(raw), source, at, DkimResult.NOT_CHECKED, quarantine);
  }

  /** The crafted store: figures in the comments of each assertion below follow from these. */
  private void load() {
    ReportStore store = new ReportStore(ch, DB);
    store.store(
        List.of(
            in(google(), Source.FILE, AT, null),
            in(
                report(
                    OBRIEN,
                    "o1",
                    "2026-03-02",
                    policy(
                        "sts",
                        "example.com",
                        "enforce",
                        40,
                        2,
                        failure(
                            "certificate-expired",
                            "203.0.113.5",
                            "mx2.example.com",
                            "192.0.2.2",
                            2,
                            null))),
                Source.SMTP,
                AT,
                null),
            in(
                report(
                    "Microsoft Corporation",
                    "m1",
                    "2026-03-02",
                    policy("tlsa", "example.org", null, 30, 0),
                    policy("sts", "example.com", "enforce", 20, 0)),
                Source.DEMO,
                AT,
                null),
            // before the window
            in(
                report(
                    "Google Inc.",
                    "g0",
                    "2025-12-01",
                    policy("sts", "example.com", "enforce", 1000, 0)),
                Source.FILE,
                AT,
                null),
            in(
                "{not json".getBytes(StandardCharsets.US_ASCII),
                Source.HTTPS,
                Instant.parse("2026-03-03T11:00:00Z"),
                null),
            in(
                report(
                    "Mail.ru", "r1", "2026-03-03", policy("sts", "example.com", "enforce", 9, 0)),
                Source.SMTP,
                Instant.parse("2026-03-04T12:00:00Z"),
                "DKIM fail: body hash did not verify")));
    // the same Google report again, gzip this time: counted once
    StoreResult again = store.store(List.of(in(gzip(google()), Source.HTTPS, AT, null)));
    assertThat(again.duplicates()).isEqualTo(1);
  }

  private static byte[] gzip(byte[] b) {
    return TestSamples.gzip(b);
  }

  private static Filter all() {
    return new Filter(SINCE, null, null);
  }

  @Test
  void sumsSessionsPerDayAndModeOverTheWindow() {
    load();
    assertThat(q.daily(all()))
        .containsExactly(
            new DashboardQueries.Day(LocalDate.parse("2026-03-01"), "enforce", 100, 10),
            new DashboardQueries.Day(LocalDate.parse("2026-03-01"), "testing", 50, 5),
            new DashboardQueries.Day(LocalDate.parse("2026-03-02"), "", 30, 0),
            new DashboardQueries.Day(LocalDate.parse("2026-03-02"), "enforce", 60, 2));
    assertThat(q.daily(new Filter(LocalDate.parse("2025-01-01"), null, null)))
        .contains(new DashboardQueries.Day(LocalDate.parse("2025-12-01"), "enforce", 1000, 0));
  }

  @Test
  void groupsByOrganizationAndByDomainWithTheirMxHostsAndResultTypes() {
    load();
    assertThat(q.organizations(all()))
        .containsExactly(
            new DashboardQueries.Group("Google Inc.", "enforce,testing", 1, 150, 15),
            new DashboardQueries.Group(OBRIEN, "enforce", 1, 40, 2),
            new DashboardQueries.Group("Microsoft Corporation", "enforce", 1, 50, 0));
    assertThat(q.domains(all()))
        .containsExactly(
            new DashboardQueries.Group("example.com", "enforce", 3, 160, 12),
            new DashboardQueries.Group("example.net", "testing", 1, 50, 5),
            new DashboardQueries.Group("example.org", "", 1, 30, 0));
    assertThat(q.mxHosts(all()))
        .containsExactly(
            new DashboardQueries.MxHost("example.com", "mx2.example.com", 2, 9),
            new DashboardQueries.MxHost("example.net", "backup.example.net", 1, 5),
            new DashboardQueries.MxHost("example.com", "mx1.example.com", 1, 3));
    assertThat(q.resultTypes(all()))
        .containsExactly(
            new DashboardQueries.ResultType("certificate-expired", 2, 9),
            new DashboardQueries.ResultType("certificate-host-mismatch", 1, 5),
            new DashboardQueries.ResultType("starttls-not-supported", 1, 3));
  }

  @Test
  void filtersByDomainAndOrganization() {
    load();
    // a domain filter counts reports per domain, and is case-insensitive as domains are
    assertThat(q.organizations(new Filter(SINCE, "EXAMPLE.NET", null)))
        .containsExactly(new DashboardQueries.Group("Google Inc.", "testing", 1, 50, 5));
    assertThat(q.totals(new Filter(SINCE, "example.com", null)))
        .extracting(
            DashboardQueries.Totals::reports,
            DashboardQueries.Totals::successful,
            DashboardQueries.Totals::failed)
        .containsExactly(3L, 160L, 12L);
    assertThat(q.mxHosts(new Filter(SINCE, "example.com", OBRIEN)))
        .containsExactly(new DashboardQueries.MxHost("example.com", "mx2.example.com", 1, 2));
    assertThat(q.daily(new Filter(SINCE, null, OBRIEN)))
        .containsExactly(new DashboardQueries.Day(LocalDate.parse("2026-03-02"), "enforce", 40, 2));
    assertThat(q.failures(new Filter(SINCE, null, OBRIEN), 100))
        .extracting(DashboardQueries.Failure::sendingMtaIp, DashboardQueries.Failure::sessions)
        .containsExactly(tuple("203.0.113.5", 2L));
  }

  @Test
  void listsFailureDetailsFromTheDeduplicatedTableMostSessionsFirst() {
    load();
    List<DashboardQueries.Failure> rows = q.failures(all(), 100);
    assertThat(rows)
        .extracting(
            DashboardQueries.Failure::policyDomain,
            DashboardQueries.Failure::resultType,
            DashboardQueries.Failure::receivingMxHostname,
            DashboardQueries.Failure::failureReasonCode,
            DashboardQueries.Failure::organizations,
            DashboardQueries.Failure::reports,
            DashboardQueries.Failure::sessions)
        .containsExactly(
            tuple(
                "example.com",
                "certificate-expired",
                "mx2.example.com",
                null,
                List.of("Google Inc."),
                1L,
                7L),
            tuple(
                "example.net",
                "certificate-host-mismatch",
                "backup.example.net",
                null,
                List.of("Google Inc."),
                1L,
                5L),
            tuple(
                "example.com",
                "starttls-not-supported",
                "mx1.example.com",
                "STARTTLS not offered",
                List.of("Google Inc."),
                1L,
                3L),
            tuple(
                "example.com",
                "certificate-expired",
                "mx2.example.com",
                null,
                List.of(OBRIEN),
                1L,
                2L));
    assertThat(q.failures(all(), 2)).hasSize(2);
    assertThat(rows.get(0).receivingIp()).isEqualTo("192.0.2.2");
  }

  @Test
  void listsRejectedAndQuarantinedInputsWithTheirReasonsNewestFirst() {
    load();
    assertThat(q.rejected(all(), 100))
        .extracting(
            DashboardQueries.Rejected::status,
            DashboardQueries.Rejected::code,
            DashboardQueries.Rejected::source,
            DashboardQueries.Rejected::receivedAt)
        .containsExactly(
            tuple("quarantined", "quarantined", "smtp", Instant.parse("2026-03-04T12:00:00Z")),
            tuple("rejected", "invalid_json", "https", Instant.parse("2026-03-03T11:00:00Z")));
    assertThat(q.rejected(all(), 100).get(0).message())
        .isEqualTo("DKIM fail: body hash did not verify");
    assertThat(q.rejected(all(), 100).get(1).message()).contains("JSON");
    assertThat(q.rejected(new Filter(LocalDate.parse("2026-03-04"), null, null), 100)).hasSize(1);
    assertThat(q.rejectedCounts(all()))
        .containsExactlyInAnyOrder(
            new DashboardQueries.RejectedCount("quarantined", "quarantined", 1),
            new DashboardQueries.RejectedCount("rejected", "invalid_json", 1));
  }

  @Test
  void readsTheAlertHistoryFilteredAndIsEmptyWithoutAlerts() {
    load();
    assertThat(q.alerts(all(), 100)).isEmpty();
    ch.execute(
        "INSERT INTO "
            + DB
            + ".alerts (fired_at, rule, alert_key, policy_domain, organization, mode,"
            + " result_types, mx_hosts, failed_sessions, window_start, window_end, message,"
            + " channels, delivery) VALUES"
            + " ('2026-03-02 08:00:00', 'enforce_failures', 'example.com|Google Inc.|certificate-expired',"
            + " 'example.com', 'Google Inc.', 'enforce', ['certificate-expired'], ['mx2.example.com'],"
            + " 7, '2026-03-01 00:00:00', '2026-03-02 00:00:00', 'mx2 certificate expired',"
            + " ['email'], 'sent'),"
            + " ('2026-03-05 09:30:00', 'rejected_spike', '', '', '', '', [], [], 0,"
            + " '2026-03-04 00:00:00', '2026-03-05 00:00:00', '5 inputs rejected', ['webhook'],"
            + " 'webhook: HTTP 500')");
    List<AlertHistory.Entry> alerts = q.alerts(all(), 100);
    assertThat(alerts)
        .extracting(e -> e.alert().rule(), AlertHistory.Entry::firedAt)
        .containsExactly(
            tuple("rejected_spike", Instant.parse("2026-03-05T09:30:00Z")),
            tuple("enforce_failures", Instant.parse("2026-03-02T08:00:00Z")));
    assertThat(alerts.get(1).alert().resultTypes()).containsExactly("certificate-expired");
    assertThat(alerts.get(1).alert().failedSessions()).isEqualTo(7);
    assertThat(alerts.get(0).delivery()).isEqualTo("webhook: HTTP 500");
    assertThat(q.alerts(new Filter(SINCE, "example.com", null), 100)).hasSize(1);
    assertThat(q.alerts(new Filter(SINCE, null, "Google Inc."), 100)).hasSize(1);
    assertThat(q.alerts(new Filter(LocalDate.parse("2026-03-03"), null, null), 100)).hasSize(1);
    assertThat(q.totals(all()).alerts()).isEqualTo(2);
  }

  @Test
  void readsEachDomainsNewestPostureRunFailuresFirstAndFiltersByDomain() {
    assertThat(q.posture(all())).isEmpty();
    String cols = " (checked_at, domain, finding, status, subject, message, remedy, facts) VALUES";
    ch.execute(
        "INSERT INTO "
            + DB
            + ".posture_findings"
            + cols
            // example.com, an older run: everything fine
            + " ('2026-03-01 06:00:00.000', 'example.com', 'dns.mta_sts_txt', 'OK',"
            + " '_mta-sts.example.com', 'one STSv1 record', '', {'policy_id': '20260101'}),"
            + " ('2026-03-01 06:00:00.000', 'example.com', 'mx.certificate_expiry', 'OK',"
            + " 'mx1.example.com', 'valid for 40 days', '', {'days_to_expiry': '40'}),"
            // example.com, the newest run: a certificate about to expire, one expired, a DNSSEC
            // signature about to expire
            + " ('2026-03-02 06:00:00.000', 'example.com', 'dns.mta_sts_txt', 'OK',"
            + " '_mta-sts.example.com', 'one STSv1 record', '', {'policy_id': '20260101'}),"
            + " ('2026-03-02 06:00:00.000', 'example.com', 'mx.certificate_expiry', 'WARN',"
            + " 'mx1.example.com', 'expires in 10 days', 'renew it', {'days_to_expiry': '10',"
            + " 'not_after': '2026-03-12T00:00:00Z'}),"
            + " ('2026-03-02 06:00:00.000', 'example.com', 'mx.certificate_expiry', 'FAIL',"
            + " 'mx2.example.com', 'expired 2 days ago', 'renew it now', {'days_to_expiry': '-2'}),"
            + " ('2026-03-02 06:00:00.000', 'example.com', 'dane.signature_expiry', 'WARN',"
            + " 'example.com', 'the earliest DNSSEC signature expires in 1 days', 're-sign',"
            + " {'days_to_expiry': '1', 'expires': '2026-03-03T06:00:00Z'}),"
            // example.net: the policy could not be fetched, then it could (a run 250 ms later)
            + " ('2026-03-01 06:00:00.000', 'example.net', 'policy.fetch', 'FAIL',"
            + " 'https://mta-sts.example.net/.well-known/mta-sts.txt', 'HTTP 404', 'publish it',"
            + " {'http_status': '404'}),"
            + " ('2026-03-01 06:00:00.250', 'example.net', 'policy.fetch', 'OK',"
            + " 'https://mta-sts.example.net/.well-known/mta-sts.txt', 'fetched', '',"
            + " {'http_status': '200'}),"
            + " ('2026-03-01 06:00:00.250', 'example.net', 'policy.mode', 'WARN',"
            + " 'https://mta-sts.example.net/.well-known/mta-sts.txt', 'mode testing',"
            + " 'set mode: enforce', {'mode': 'testing'})");
    Instant com = Instant.parse("2026-03-02T06:00:00Z");
    Instant net = Instant.parse("2026-03-01T06:00:00.250Z");
    List<PostureHistory.Finding> all = q.posture(all());
    assertThat(all)
        .extracting(
            PostureHistory.Finding::domain,
            PostureHistory.Finding::checkedAt,
            PostureHistory.Finding::finding,
            PostureHistory.Finding::status,
            PostureHistory.Finding::subject,
            PostureHistory.Finding::daysToExpiry)
        .containsExactly(
            tuple("example.com", com, "mx.certificate_expiry", "FAIL", "mx2.example.com", -2L),
            tuple("example.com", com, "dane.signature_expiry", "WARN", "example.com", 1L),
            tuple("example.com", com, "mx.certificate_expiry", "WARN", "mx1.example.com", 10L),
            tuple("example.com", com, "dns.mta_sts_txt", "OK", "_mta-sts.example.com", null),
            tuple(
                "example.net",
                net,
                "policy.mode",
                "WARN",
                "https://mta-sts.example.net/.well-known/mta-sts.txt",
                null),
            tuple(
                "example.net",
                net,
                "policy.fetch",
                "OK",
                "https://mta-sts.example.net/.well-known/mta-sts.txt",
                null));
    assertThat(all.get(2).message()).isEqualTo("expires in 10 days");
    assertThat(all.get(2).remedy()).isEqualTo("renew it");
    assertThat(q.posture(new Filter(SINCE, "Example.NET", null)))
        .extracting(PostureHistory.Finding::finding, PostureHistory.Finding::status)
        .containsExactly(tuple("policy.mode", "WARN"), tuple("policy.fetch", "OK"));
    // the window does not apply: a domain's newest run is shown however old
    assertThat(q.posture(new Filter(LocalDate.parse("2026-04-01"), "example.com", null)))
        .hasSize(4);
    assertThat(q.posture(new Filter(SINCE, "example.org", null))).isEmpty();
    for (String hostile : List.of("x' OR 1=1 --", "example.com' OR '1'='1", "\\", "'")) {
      assertThat(q.posture(new Filter(SINCE, hostile, null))).as(hostile).isEmpty();
    }
  }

  @Test
  void totalsCountEveryReportOnceAndTheDemoReports() {
    load();
    DashboardQueries.Totals t = q.totals(all());
    assertThat(t).isEqualTo(new DashboardQueries.Totals(3, 240, 17, 3, 3, 1, 1, 0, 1));
  }

  @Test
  void hostileFilterValuesAreLiteralsNeverSql() {
    load();
    DashboardQueries.Totals before = q.totals(all());
    // the organization whose name holds a quote and a backslash is found by its exact name
    assertThat(q.organizations(new Filter(SINCE, null, OBRIEN)))
        .extracting(DashboardQueries.Group::key)
        .containsExactly(OBRIEN);
    for (String hostile :
        List.of(
            "x' OR 1=1 --",
            "x\\' OR 1=1 --",
            "O'Brien \\",
            "\\",
            "'",
            "' OR '1'='1",
            "Google Inc.' OR organization != '",
            "x') OR 1=1 OR ('",
            "x' UNION ALL SELECT 'a', 'b', 1, 2, 3 --",
            "x'; DROP TABLE tlsrpt.reports; --",
            "x\u0000' OR 1=1 --",
            "{ghi}",
            "é\n' OR 1=1 #")) {
      Filter byOrg = new Filter(SINCE, null, hostile);
      Filter byDomain = new Filter(SINCE, hostile, null);
      assertThat(q.organizations(byOrg)).as(hostile).isEmpty();
      assertThat(q.domains(byDomain)).as(hostile).isEmpty();
      assertThat(q.daily(byOrg)).as(hostile).isEmpty();
      assertThat(q.mxHosts(byDomain)).as(hostile).isEmpty();
      assertThat(q.resultTypes(byOrg)).as(hostile).isEmpty();
      assertThat(q.failures(byOrg, 10)).as(hostile).isEmpty();
      assertThat(q.failures(byDomain, 10)).as(hostile).isEmpty();
      assertThat(q.alerts(byOrg, 10)).as(hostile).isEmpty();
      assertThat(q.totals(byOrg).reports()).as(hostile).isZero();
    }
    assertThat(q.totals(all())).isEqualTo(before);
  }
}

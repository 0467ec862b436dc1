package org.tlsrpt.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The reads behind the built-in web dashboard: sessions per day and mode, organizations, policy
 * domains and their MX hosts, result types, failure details, rejected and quarantined inputs; and,
 * read through {@link AlertHistory} and {@link PostureHistory}, the alert history and the newest
 * run of the posture checks per domain. Figures from {@code daily_summary} come from the newest
 * build of each day, read with FINAL, after the changed days were rebuilt, exactly as {@link
 * Summaries} reads them (docs/adr/0005-daily-summary.md); failure details come from {@code failures
 * FINAL}.
 *
 * <p>Every value a user supplies reaches SQL only as a quoted literal ({@link QueryRows#literal})
 * or as a {@link LocalDate}.
 */
public final class DashboardQueries {

  /** The most rows a list query returns, whatever limit is asked for. */
  public static final int MAX_ROWS = 1000;

  private final ClickHouse ch;
  private final String db;
  private final Summaries summaries;
  private final AlertHistory alerts;
  private final PostureHistory posture;

  public DashboardQueries(ClickHouse ch, String database, Summaries summaries) {
    this.ch = ch;
    this.db = database;
    this.summaries = summaries;
    this.alerts = new AlertHistory(ch, database);
    this.posture = new PostureHistory(ch, database);
  }

  /**
   * What every query is restricted to.
   *
   * @param since first day included (UTC), by the report's start day (or the day an input arrived,
   *     or an alert fired)
   * @param domain a policy domain, or null for all
   * @param organization a sending organization (exact name), or null for all
   */
  public record Filter(LocalDate since, String domain, String organization) {
    public Filter {
      Objects.requireNonNull(since, "since");
      domain = domain == null || domain.isBlank() ? null : domain.trim().toLowerCase(Locale.ROOT);
      organization = organization == null || organization.isEmpty() ? null : organization;
    }
  }

  /** Sessions of one day under one sts mode ("" for tlsa and no-policy-found policies). */
  public record Day(LocalDate day, String mode, long successful, long failed) {}

  /** One organization or policy domain, with the sts modes seen (comma-separated). */
  public record Group(String key, String modes, long reports, long successful, long failed) {}

  /** Failed sessions at one MX host of one policy domain ("" when the reporter named none). */
  public record MxHost(String domain, String host, long reports, long failed) {}

  /** Failed sessions of one result type. */
  public record ResultType(String resultType, long reports, long failed) {}

  /** Failure details that agree in everything but their reports, summed. */
  public record Failure(
      String policyDomain,
      String resultType,
      String sendingMtaIp,
      String receivingMxHostname,
      String receivingIp,
      String failureReasonCode,
      String additionalInformation,
      List<String> organizations,
      long reports,
      long sessions) {}

  /** An input that was rejected or quarantined, with the reason. */
  public record Rejected(
      Instant receivedAt,
      String source,
      String status,
      String code,
      String message,
      long size,
      String sha256) {}

  /** How many inputs were rejected or quarantined with one code. */
  public record RejectedCount(String status, String code, long inputs) {}

  /**
   * Figures for the whole filter.
   *
   * @param demoReports reports loaded by {@code tlsrpt serve --demo} (source {@code demo}), in the
   *     whole store
   */
  public record Totals(
      long reports,
      long successful,
      long failed,
      long organizations,
      long domains,
      long rejected,
      long quarantined,
      long alerts,
      long demoReports) {}

  /** Successful and failed sessions per day and sts mode, oldest day first. */
  public List<Day> daily(Filter f) {
    summaries.refresh();
    return read(
        "SELECT day, mode, sum(successful) AS successful, sum(failed) AS failed"
            + summaryRows(f, true)
            + " GROUP BY day, mode ORDER BY day, mode",
        r ->
            new Day(
                LocalDate.parse(QueryRows.str(r, "day")),
                QueryRows.str(r, "mode"),
                QueryRows.num(r, "successful"),
                QueryRows.num(r, "failed")));
  }

  /** Per sending organization, most failed sessions first. */
  public List<Group> organizations(Filter f) {
    return groups(f, "organization");
  }

  /** Per policy domain, most failed sessions first. */
  public List<Group> domains(Filter f) {
    return groups(f, "policy_domain");
  }

  private List<Group> groups(Filter f, String column) {
    summaries.refresh();
    // a report covering several domains counts once per domain when grouped or filtered by domain
    String reports =
        f.domain() != null || column.equals("policy_domain") ? "domain_reports" : "reports";
    return read(
        "SELECT "
            + column
            + " AS key, arrayStringConcat(arraySort(groupUniqArrayIf(mode, mode != '')), ',') AS"
            + " modes, sum("
            + reports
            + ") AS reports, sum(successful) AS successful, sum(failed) AS failed"
            + summaryRows(f, true)
            + " GROUP BY key ORDER BY failed DESC, successful DESC, key LIMIT "
            + MAX_ROWS,
        r ->
            new Group(
                QueryRows.str(r, "key"),
                QueryRows.str(r, "modes"),
                QueryRows.num(r, "reports"),
                QueryRows.num(r, "successful"),
                QueryRows.num(r, "failed")));
  }

  /** Failed sessions per policy domain and MX host, most first. */
  public List<MxHost> mxHosts(Filter f) {
    summaries.refresh();
    return read(
        "SELECT policy_domain, mx_host, sum(mx_reports) AS reports, sum(failed) AS failed"
            + summaryRows(f, false)
            + " GROUP BY policy_domain, mx_host ORDER BY failed DESC, policy_domain, mx_host LIMIT "
            + MAX_ROWS,
        r ->
            new MxHost(
                QueryRows.str(r, "policy_domain"),
                QueryRows.str(r, "mx_host"),
                QueryRows.num(r, "reports"),
                QueryRows.num(r, "failed")));
  }

  /** Failed sessions per result type, most first. */
  public List<ResultType> resultTypes(Filter f) {
    summaries.refresh();
    return read(
        "SELECT result_type, sum(result_reports) AS reports, sum(failed) AS failed"
            + summaryRows(f, false)
            + " GROUP BY result_type ORDER BY failed DESC, result_type LIMIT "
            + MAX_ROWS,
        r ->
            new ResultType(
                QueryRows.str(r, "result_type"),
                QueryRows.num(r, "reports"),
                QueryRows.num(r, "failed")));
  }

  /**
   * The policy rows ({@code policies} true) or the failure rows of the current builds, filtered:
   * {@code FROM ... WHERE ...}.
   */
  private String summaryRows(Filter f, boolean policies) {
    return " FROM "
        + db
        + ".daily_summary"
        + summaries.current(f.since(), f.domain())
        + (f.organization() == null
            ? ""
            : " AND organization = " + QueryRows.literal(f.organization()))
        + (policies ? " AND result_type = ''" : " AND result_type != ''");
  }

  /** Failure details from {@code failures FINAL}, grouped, most failed sessions first. */
  public List<Failure> failures(Filter f, int limit) {
    return read(
        "SELECT policy_domain, result_type, sending_mta_ip, receiving_mx_hostname, receiving_ip,"
            + " failure_reason_code, any(additional_information) AS additional_information,"
            + " arraySort(groupUniqArray(organization)) AS organizations,"
            + " uniqExact(report_key) AS reports, sum(failed_session_count) AS sessions FROM "
            + db
            + ".failures FINAL WHERE toDate(date_start) >= "
            + day(f.since())
            + (f.domain() == null ? "" : " AND policy_domain = " + QueryRows.literal(f.domain()))
            + (f.organization() == null
                ? ""
                : " AND organization = " + QueryRows.literal(f.organization()))
            + " GROUP BY policy_domain, result_type, sending_mta_ip, receiving_mx_hostname,"
            + " receiving_ip, failure_reason_code ORDER BY sessions DESC, policy_domain,"
            + " result_type, receiving_mx_hostname, sending_mta_ip LIMIT "
            + bounded(limit),
        r ->
            new Failure(
                QueryRows.str(r, "policy_domain"),
                QueryRows.str(r, "result_type"),
                QueryRows.str(r, "sending_mta_ip"),
                QueryRows.str(r, "receiving_mx_hostname"),
                QueryRows.str(r, "receiving_ip"),
                QueryRows.str(r, "failure_reason_code"),
                QueryRows.str(r, "additional_information"),
                QueryRows.strings(r, "organizations"),
                QueryRows.num(r, "reports"),
                QueryRows.num(r, "sessions")));
  }

  /**
   * Rejected and quarantined inputs that arrived from {@code since} on, newest first. Domain and
   * organization do not apply: most of these inputs never yielded a report.
   */
  public List<Rejected> rejected(Filter f, int limit) {
    return read(
        "SELECT toUnixTimestamp64Milli(received_at) AS received_ms, source, status, code, message,"
            + " size, sha256 FROM "
            + db
            + ".rejected_inputs WHERE received_at >= "
            + dayStart(f.since())
            + " ORDER BY received_at DESC, sha256 LIMIT "
            + bounded(limit),
        r ->
            new Rejected(
                Instant.ofEpochMilli(QueryRows.num(r, "received_ms")),
                QueryRows.str(r, "source"),
                QueryRows.str(r, "status"),
                QueryRows.str(r, "code"),
                QueryRows.str(r, "message"),
                QueryRows.num(r, "size"),
                QueryRows.str(r, "sha256")));
  }

  // (aliases never reuse a column's name: ClickHouse would read the alias in WHERE and ORDER BY)

  /** Rejected and quarantined inputs from {@code since} on, per status and code. */
  public List<RejectedCount> rejectedCounts(Filter f) {
    return read(
        "SELECT status, code, count() AS inputs FROM "
            + db
            + ".rejected_inputs WHERE received_at >= "
            + dayStart(f.since())
            + " GROUP BY status, code ORDER BY inputs DESC, status, code",
        r ->
            new RejectedCount(
                QueryRows.str(r, "status"), QueryRows.str(r, "code"), QueryRows.num(r, "inputs")));
  }

  /** Alerts fired from {@code since} on, newest first. */
  public List<AlertHistory.Entry> alerts(Filter f, int limit) {
    return alerts.recent(f.since(), f.domain(), f.organization(), bounded(limit));
  }

  /**
   * Each domain's newest posture check run (the findings at its latest {@code checked_at}),
   * whatever its age: failures first, then warnings, checks not made and passed checks. Only the
   * domain of the filter applies.
   */
  public List<PostureHistory.Finding> posture(Filter f) {
    return posture.newestRuns(f.domain(), MAX_ROWS);
  }

  /** The figures of the whole filter, for the page's headline. */
  public Totals totals(Filter f) {
    summaries.refresh();
    Map<String, Object> s =
        one(
            "SELECT sum("
                + (f.domain() != null ? "domain_reports" : "reports")
                + ") AS reports, sum(successful) AS successful, sum(failed) AS failed,"
                + " uniqExact(organization) AS organizations, uniqExact(policy_domain) AS domains"
                + summaryRows(f, true));
    Map<String, Object> in =
        one(
            "SELECT countIf(status = 'rejected') AS rejected, countIf(status = 'quarantined') AS"
                + " quarantined FROM "
                + db
                + ".rejected_inputs WHERE received_at >= "
                + dayStart(f.since()));
    Map<String, Object> demo =
        one(
            "SELECT uniqExact(report_key) AS demo FROM "
                + db
                + ".reports WHERE source = "
                + QueryRows.literal(DEMO_SOURCE));
    return new Totals(
        QueryRows.num(s, "reports"),
        QueryRows.num(s, "successful"),
        QueryRows.num(s, "failed"),
        QueryRows.num(s, "organizations"),
        QueryRows.num(s, "domains"),
        QueryRows.num(in, "rejected"),
        QueryRows.num(in, "quarantined"),
        alerts.count(f.since(), f.domain(), f.organization()),
        QueryRows.num(demo, "demo"));
  }

  /** The source of the demo data {@code tlsrpt serve --demo} loads. */
  public static final String DEMO_SOURCE = Source.DEMO.wire();

  private static String day(LocalDate d) {
    return "toDate('" + d + "')";
  }

  private static String dayStart(LocalDate d) {
    return "toDateTime64('" + d + " 00:00:00', 3, 'UTC')";
  }

  private static int bounded(int limit) {
    return Math.max(1, Math.min(MAX_ROWS, limit));
  }

  private Map<String, Object> one(String sql) {
    List<Map<String, Object>> rows = rows(sql);
    return rows.isEmpty() ? Map.of() : rows.get(0);
  }

  private <T> List<T> read(String sql, Function<Map<String, Object>, T> row) {
    List<T> out = new ArrayList<>();
    for (Map<String, Object> r : rows(sql)) {
      out.add(row.apply(r));
    }
    return out;
  }

  private List<Map<String, Object>> rows(String sql) {
    return QueryRows.query(ch, sql);
  }
}

package org.tlsrpt.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The figures the scheduled alert rules judge: enforce failures, failure rates against their
 * baseline and reporters' active days from the daily summary (read as {@link Summaries} reads it,
 * after the caller brought it up to date), and rejected inputs from {@code raw_inputs}. The rules'
 * thresholds stay with the alerting; these only count.
 */
public final class AlertRuleQueries {
  private final ClickHouse ch;
  private final String db;
  private final Summaries summaries;

  public AlertRuleQueries(ClickHouse ch, String database, Summaries summaries) {
    this.ch = ch;
    this.db = database;
    this.summaries = summaries;
  }

  /**
   * Failed sessions of one result type under a policy that refuses mail (an sts policy in enforce
   * mode, or tlsa), for one policy domain and sending organization.
   *
   * @param mode {@code enforce} or {@code dane}
   * @param mxHosts the MX hosts named, sorted
   */
  public record EnforceFailures(
      String policyDomain,
      String organization,
      String mode,
      String resultType,
      long failed,
      List<String> mxHosts,
      LocalDate firstDay,
      LocalDate lastDay) {
    public EnforceFailures {
      mxHosts = List.copyOf(mxHosts);
    }
  }

  /** Enforce failures of the days from {@code since}, per domain, organization and result type. */
  public List<EnforceFailures> enforceFailures(LocalDate since) {
    return read(
        "SELECT policy_domain, organization, if(policy_type = 'tlsa', 'dane', 'enforce') AS m,"
            + " result_type, sum(failed) AS f, arraySort(groupUniqArrayIf(mx_host, mx_host !="
            + " '')) AS mx, toString(min(day)) AS d0, toString(max(day)) AS d1 FROM "
            + summary(since)
            + " AND result_type != '' AND (mode = 'enforce' OR policy_type = 'tlsa')"
            + " GROUP BY policy_domain, organization, m, result_type HAVING f > 0",
        r ->
            new EnforceFailures(
                QueryRows.str(r, "policy_domain"),
                QueryRows.str(r, "organization"),
                QueryRows.str(r, "m"),
                QueryRows.str(r, "result_type"),
                QueryRows.num(r, "f"),
                QueryRows.strings(r, "mx"),
                LocalDate.parse(QueryRows.str(r, "d0")),
                LocalDate.parse(QueryRows.str(r, "d1"))));
  }

  /**
   * One policy domain's sessions on a day and over the days before it.
   *
   * @param modes the sts modes seen, comma-separated
   */
  public record DomainRate(
      String policyDomain,
      long failed,
      long sessions,
      long baselineFailed,
      long baselineSessions,
      String modes) {}

  /**
   * Each policy domain's sessions on {@code day} and from {@code baselineFrom} up to the day
   * before: only domains with at least {@code minSessions} sessions on the day and some before.
   */
  public List<DomainRate> failureRates(LocalDate day, LocalDate baselineFrom, long minSessions) {
    String d = "'" + day + "'";
    return read(
        "SELECT policy_domain, sumIf(failed, day = "
            + d
            + ") AS f, sumIf(successful + failed, day = "
            + d
            + ") AS n, sumIf(failed, day < "
            + d
            + ") AS bf, sumIf(successful + failed, day < "
            + d
            + ") AS bn, arrayStringConcat(arraySort(groupUniqArrayIf(mode, mode != '')), ',')"
            + " AS modes FROM "
            + summary(baselineFrom)
            + " AND day <= "
            + d
            + " AND result_type = '' GROUP BY policy_domain HAVING n >= "
            + minSessions
            + " AND bn > 0",
        r ->
            new DomainRate(
                QueryRows.str(r, "policy_domain"),
                QueryRows.num(r, "f"),
                QueryRows.num(r, "n"),
                QueryRows.num(r, "bf"),
                QueryRows.num(r, "bn"),
                QueryRows.str(r, "modes")));
  }

  /** A sending organization and the last day it reported on. */
  public record SilentReporter(String organization, LocalDate lastDay) {}

  /**
   * Organizations that reported on at least {@code minActiveDays} days from {@code activeFrom} up
   * to the day before {@code quietFrom}, and on none from {@code quietFrom} on.
   */
  public List<SilentReporter> silentReporters(
      LocalDate activeFrom, LocalDate quietFrom, int minActiveDays) {
    String q = "'" + quietFrom + "'";
    return read(
        "SELECT organization, toString(max(day)) AS last, uniqExactIf(day, day < "
            + q
            + ") AS active FROM "
            + summary(activeFrom)
            + " AND result_type = '' GROUP BY organization HAVING active >= "
            + minActiveDays
            + " AND max(day) < "
            + q,
        r ->
            new SilentReporter(
                QueryRows.str(r, "organization"), LocalDate.parse(QueryRows.str(r, "last"))));
  }

  /** Rejected inputs of a recent window and of the window before it. */
  public record Rejections(long recent, long before) {}

  /** Inputs rejected from {@code recentFrom} to {@code to}, and from {@code from} until then. */
  public Rejections rejected(Instant from, Instant recentFrom, Instant to) {
    List<Map<String, Object>> r =
        QueryRows.query(
            ch,
            "SELECT countIf(received_at >= "
                + QueryRows.instant(recentFrom)
                + ") AS recent, countIf(received_at < "
                + QueryRows.instant(recentFrom)
                + ") AS before FROM "
                + db
                + ".raw_inputs FINAL WHERE status = 'rejected' AND received_at >= "
                + QueryRows.instant(from)
                + " AND received_at <= "
                + QueryRows.instant(to));
    return r.isEmpty()
        ? new Rejections(0, 0)
        : new Rejections(
            QueryRows.num(r.getFirst(), "recent"), QueryRows.num(r.getFirst(), "before"));
  }

  /** The daily summary's current rows from {@code since}: {@code <table> FINAL WHERE ...}. */
  private String summary(LocalDate since) {
    return db + ".daily_summary" + summaries.current(since, null);
  }

  private <T> List<T> read(String sql, Function<Map<String, Object>, T> row) {
    List<T> out = new ArrayList<>();
    for (Map<String, Object> r : QueryRows.query(ch, sql)) {
      out.add(row.apply(r));
    }
    return out;
  }
}

package org.tlsrpt.storage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The evidence the enforce-readiness verdict weighs (module {@code readiness}): per MTA-STS policy
 * domain, the mode it was reported in last, its sessions per day and per reporter under that mode
 * (from the daily summary, read as {@link Summaries} reads it), its failure details grouped by
 * sending organization, MX host and result type (from {@code failures FINAL}), and the newest
 * posture check run ({@link PostureHistory}). These only count; the thresholds stay with the
 * verdict.
 */
public final class ReadinessQueries {
  private final ClickHouse ch;
  private final String db;
  private final Summaries summaries;
  private final PostureHistory posture;

  public ReadinessQueries(ClickHouse ch, String database, Summaries summaries) {
    this.ch = ch;
    this.db = database;
    this.summaries = summaries;
    this.posture = new PostureHistory(ch, database);
  }

  /** A policy domain and the sts mode of its newest reported day (enforce wins a tie). */
  public record DomainMode(String domain, String mode, LocalDate lastDay) {}

  /** Sessions of one day under the domain's mode. */
  public record Day(LocalDate day, long successful, long failed) {}

  /** One sending organization's reports on the domain under its mode. */
  public record Reporter(
      String organization,
      LocalDate firstDay,
      LocalDate lastDay,
      long days,
      long successful,
      long failed) {}

  /**
   * Failed sessions of one (sending organization, MX host, result type), with one reason code and
   * one additional-information text the reporter gave (null when none).
   */
  public record FailureGroup(
      String organization,
      String mxHost,
      String resultType,
      long sessions,
      String reasonCode,
      String additionalInformation) {}

  /** Everything known about one domain from {@code since} on, under {@code mode}. */
  public record Evidence(
      String domain,
      String mode,
      LocalDate since,
      List<Day> days,
      List<Reporter> reporters,
      List<FailureGroup> failures,
      List<PostureHistory.Finding> posture) {
    public Evidence {
      days = List.copyOf(days);
      reporters = List.copyOf(reporters);
      failures = List.copyOf(failures);
      posture = List.copyOf(posture);
    }
  }

  /**
   * The policy domains reported under an sts policy in testing or enforce mode from {@code since}
   * on, by name.
   */
  public List<DomainMode> domains(LocalDate since) {
    summaries.refresh();
    return read(
        "SELECT policy_domain, argMax(mode, tuple(day, mode = 'enforce')) AS m,"
            + " toString(max(day)) AS last FROM "
            + db
            + ".daily_summary"
            + summaries.current(since, null)
            + " AND result_type = '' AND policy_type = 'sts' AND mode IN ('testing', 'enforce')"
            + " GROUP BY policy_domain ORDER BY policy_domain",
        r ->
            new DomainMode(
                QueryRows.str(r, "policy_domain"),
                QueryRows.str(r, "m"),
                LocalDate.parse(QueryRows.str(r, "last"))));
  }

  /** The evidence on {@code domain} under the sts {@code mode} from {@code since} on. */
  public Evidence evidence(String domain, String mode, LocalDate since) {
    summaries.refresh();
    String d = domain.toLowerCase(Locale.ROOT);
    String rows =
        " FROM "
            + db
            + ".daily_summary"
            + summaries.current(since, d)
            + " AND result_type = '' AND policy_type = 'sts' AND mode = "
            + QueryRows.literal(mode);
    List<Day> days =
        read(
            "SELECT toString(day) AS d, sum(successful) AS ok, sum(failed) AS f"
                + rows
                + " GROUP BY day ORDER BY day",
            r ->
                new Day(
                    LocalDate.parse(QueryRows.str(r, "d")),
                    QueryRows.num(r, "ok"),
                    QueryRows.num(r, "f")));
    List<Reporter> reporters =
        read(
            "SELECT organization, toString(min(day)) AS d0, toString(max(day)) AS d1,"
                + " uniqExact(day) AS n, sum(successful) AS ok, sum(failed) AS f"
                + rows
                + " GROUP BY organization ORDER BY organization",
            r ->
                new Reporter(
                    QueryRows.str(r, "organization"),
                    LocalDate.parse(QueryRows.str(r, "d0")),
                    LocalDate.parse(QueryRows.str(r, "d1")),
                    QueryRows.num(r, "n"),
                    QueryRows.num(r, "ok"),
                    QueryRows.num(r, "f")));
    List<FailureGroup> failures =
        read(
            "SELECT organization, ifNull(receiving_mx_hostname, '') AS mx, result_type,"
                + " sum(failed_session_count) AS n, any(failure_reason_code) AS code,"
                + " any(additional_information) AS info FROM "
                + db
                + ".failures FINAL WHERE toDate(date_start) >= toDate('"
                + since
                + "') AND policy_domain = "
                + QueryRows.literal(d)
                + " AND policy_type = 'sts' AND mode = "
                + QueryRows.literal(mode)
                + " GROUP BY organization, mx, result_type HAVING n > 0"
                + " ORDER BY n DESC, organization, mx, result_type",
            r ->
                new FailureGroup(
                    QueryRows.str(r, "organization"),
                    QueryRows.str(r, "mx"),
                    QueryRows.str(r, "result_type"),
                    QueryRows.num(r, "n"),
                    QueryRows.str(r, "code"),
                    QueryRows.str(r, "info")));
    return new Evidence(d, mode, since, days, reporters, failures, posture.newestRun(d));
  }

  private <T> List<T> read(String sql, Function<Map<String, Object>, T> row) {
    List<T> out = new ArrayList<>();
    for (Map<String, Object> r : QueryRows.query(ch, sql)) {
      out.add(row.apply(r));
    }
    return out;
  }
}

package org.tlsrpt.storage;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The summary behind {@code tlsrpt summary} and {@code GET /api/summary}: sessions and failures per
 * sending organization, policy domain, MX host or result type, over de-duplicated data. It reads
 * the daily summary table, first rebuilding the days whose reports changed since their last build
 * (docs/adr/0005-daily-summary.md).
 */
public final class Summaries {

  /**
   * The clock-skew allowance to use on a cluster (see {@link #Summaries(ClickHouse, String,
   * Duration)}).
   */
  public static final Duration CLUSTER_CLOCK_SKEW = Duration.ofSeconds(5);

  /** Days built per statement: bounds the rows one build reads. */
  private static final int BUILD_CHUNK = 31;

  private final ClickHouse ch;
  private final String db;
  private final long clockSkewMicros;

  /** Summaries of a store whose marks and builds share one clock (one engine, one server). */
  public Summaries(ClickHouse ch, String database) {
    this(ch, database, Duration.ZERO);
  }

  /**
   * @param clockSkew a day marked changed up to this long before a build began is built again: on a
   *     cluster, marks and builds may be stamped by different nodes' clocks
   */
  public Summaries(ClickHouse ch, String database, Duration clockSkew) {
    this.ch = ch;
    this.db = database;
    this.clockSkewMicros = clockSkew.toNanos() / 1000;
  }

  /** What the rows are grouped by. */
  public enum By {
    ORG,
    DOMAIN,
    MX,
    RESULT;

    public static By parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "org", "organization" -> ORG;
        case "domain" -> DOMAIN;
        case "mx" -> MX;
        case "result", "result-type" -> RESULT;
        default ->
            throw new IllegalArgumentException(
                "--by takes org, domain, mx or result, not '" + s + "'");
      };
    }
  }

  /**
   * One row of the summary.
   *
   * @param modes the sts modes seen, comma-separated ("" for none)
   * @param successful null where it does not apply (MX hosts and result types count failures only)
   */
  public record Row(String key, String modes, long reports, Long successful, long failed) {}

  /** Totals over the window and the rows. */
  public record Summary(long reports, long successful, long failed, List<Row> rows) {}

  /**
   * @param since first day included (UTC)
   * @param domain a policy domain to restrict to, or null
   */
  public Summary summary(LocalDate since, String domain, By by) {
    refresh();
    String dom = domain == null ? null : domain.toLowerCase(Locale.ROOT);
    // policy rows answer org and domain and the totals; failure rows answer result and mx
    String policyRows = current(since, dom) + " AND result_type = ''";
    String reports = dom != null || by == By.DOMAIN ? "domain_reports" : "reports";
    String modes = "arrayStringConcat(arraySort(groupUniqArrayIf(mode, mode != '')), ',')";
    List<Map<String, Object>> totals =
        rows(
            "SELECT sum("
                + (dom != null ? "domain_reports" : "reports")
                + ") AS reports, sum(successful) AS successful, sum(failed) AS failed FROM "
                + db
                + ".daily_summary"
                + policyRows);
    Map<String, Object> t = totals.isEmpty() ? Map.of() : totals.get(0);
    String sql =
        switch (by) {
          case ORG, DOMAIN ->
              "SELECT "
                  + (by == By.ORG ? "organization" : "policy_domain")
                  + " AS key, "
                  + modes
                  + " AS modes, sum("
                  + reports
                  + ") AS reports, sum(successful) AS successful, sum(failed) AS failed FROM "
                  + db
                  + ".daily_summary"
                  + policyRows
                  + " GROUP BY key ORDER BY failed DESC, key";
          case RESULT, MX ->
              "SELECT "
                  + (by == By.RESULT ? "result_type" : "if(mx_host = '', '(none)', mx_host)")
                  + " AS key, "
                  + modes
                  + " AS modes, sum("
                  + (by == By.RESULT ? "result_reports" : "mx_reports")
                  + ") AS reports, sum(failed) AS failed FROM "
                  + db
                  + ".daily_summary"
                  + current(since, dom)
                  + " AND result_type != '' GROUP BY key ORDER BY failed DESC, key";
        };
    List<Row> rows = new ArrayList<>();
    for (Map<String, Object> r : rows(sql)) {
      rows.add(
          new Row(
              (String) r.get("key"),
              (String) r.getOrDefault("modes", ""),
              num(r.get("reports")),
              r.containsKey("successful") ? num(r.get("successful")) : null,
              num(r.get("failed"))));
    }
    return new Summary(num(t.get("reports")), num(t.get("successful")), num(t.get("failed")), rows);
  }

  /**
   * The rows of the newest build of each day from {@code since}, for one domain or all (read with
   * FINAL after the FROM: a build retried after a timeout may have written its rows twice). The
   * dashboard's queries ({@link DashboardQueries}) read through this clause too.
   */
  String current(LocalDate since, String domain) {
    String day = "'" + since + "'";
    return " FINAL WHERE day >= "
        + day
        + (domain == null ? "" : " AND policy_domain = " + QueryRows.literal(domain))
        // GLOBAL: on a cluster the newest builds are found once, not once per shard
        + " AND (day, version) GLOBAL IN (SELECT day, max(version) FROM "
        + db
        + ".daily_summary WHERE day >= "
        + day
        + " GROUP BY day)";
  }

  /**
   * Rebuilds the daily summary of every day whose reports changed since its last build, so the
   * summary reads current, de-duplicated figures. Safe to call from several threads or processes: a
   * build reads the tables after it takes its version, and readers take the newest build.
   *
   * @return the days rebuilt
   */
  public synchronized List<LocalDate> refresh() {
    List<LocalDate> days = new ArrayList<>();
    for (Map<String, Object> r :
        rows(
            "SELECT toString(d.day) AS day FROM (SELECT day, max(marked_at) AS m FROM "
                + db
                + ".summary_dirty GROUP BY day) AS d LEFT JOIN (SELECT day, max(version) AS v FROM "
                + db
                + ".summary_builds GROUP BY day) AS b ON d.day = b.day WHERE d.m + "
                + clockSkewMicros
                + " >= b.v ORDER BY day")) {
      days.add(LocalDate.parse((String) r.get("day")));
    }
    for (int i = 0; i < days.size(); i += BUILD_CHUNK) {
      build(days.subList(i, Math.min(days.size(), i + BUILD_CHUNK)));
    }
    return days;
  }

  /** Builds the summary of these days from the de-duplicated tables. */
  private void build(List<LocalDate> days) {
    long version = num(rows("SELECT toUnixTimestamp64Micro(now64(6)) AS v").get(0).get("v"));
    StringBuilder in = new StringBuilder();
    for (LocalDate d : days) {
      in.append(in.isEmpty() ? "'" : ",'").append(d).append('\'');
    }
    // One INSERT for the whole build: it becomes one part, so a build is seen whole or not at
    // all, and readers take each day's newest build.
    ch.execute(
        "INSERT INTO "
            + db
            + ".daily_summary (day, organization, policy_domain, policy_type, mode, result_type,"
            + " mx_host, reports, domain_reports, result_reports, mx_reports, successful, failed,"
            + " version) SELECT day, organization, policy_domain, policy_type, mode, result_type,"
            + " mx_host, reports, domain_reports, result_reports, mx_reports, successful, failed, "
            + version
            + " FROM (SELECT day, organization, policy_domain, policy_type, mode, '' AS result_type,"
            + " '' AS mx_host, countIf(first) AS reports, countIf(first_in_domain) AS"
            + " domain_reports, toUInt64(0) AS result_reports, toUInt64(0) AS mx_reports,"
            + " sum(successful) AS successful, sum(failed) AS failed"
            + " FROM (SELECT toDate(date_start) AS day, organization, policy_domain, policy_type,"
            + " mode, successful, failed,"
            + " policy_index = min(policy_index) OVER (PARTITION BY report_key) AS first,"
            + " policy_index = min(policy_index) OVER (PARTITION BY report_key, policy_domain)"
            + " AS first_in_domain FROM "
            + db
            + ".policies FINAL WHERE toDate(date_start) IN ("
            + in
            + ")) GROUP BY day, organization, policy_domain, policy_type, mode"
            + " UNION ALL SELECT day, organization, policy_domain, policy_type, mode, result_type,"
            + " mx_host, toUInt64(0), toUInt64(0), countIf(first_result), countIf(first_mx),"
            + " toUInt64(0), sum(failed)"
            + " FROM (SELECT *, row_number() OVER (PARTITION BY report_key, policy_domain,"
            + " result_type ORDER BY policy_type, mode, mx_host) = 1 AS first_result,"
            + " row_number() OVER (PARTITION BY report_key, policy_domain, mx_host ORDER BY"
            + " policy_type, mode, result_type) = 1 AS first_mx FROM (SELECT toDate(date_start)"
            + " AS day, organization, policy_domain, policy_type, mode, result_type,"
            + " ifNull(receiving_mx_hostname, '') AS mx_host, report_key,"
            + " sum(failed_session_count) AS failed FROM "
            + db
            + ".failures FINAL WHERE toDate(date_start) IN ("
            + in
            + ") GROUP BY day, organization, policy_domain, policy_type, mode, result_type,"
            + " mx_host, report_key)) GROUP BY day, organization, policy_domain, policy_type,"
            + " mode, result_type, mx_host)"
            // squash everything into one block, hence one part
            + " SETTINGS min_insert_block_size_rows = 4294967295,"
            + " min_insert_block_size_bytes = 1099511627776");
    ch.execute(
        "INSERT INTO "
            + db
            + ".summary_builds (day, version) SELECT arrayJoin([toDate("
            + in.toString().replace(",", "), toDate(")
            + ")]), "
            + version);
  }

  /** The longest window the store commands and the dashboard take, in days (about 100 years). */
  public static final int MAX_WINDOW_DAYS = 36_600;

  private static final Pattern WINDOW = Pattern.compile("(\\d{1,5})d");

  /**
   * The first day of a window written {@code Nd} (the last N days, today included), as {@code
   * --since} and {@code since=} take it.
   *
   * @throws IllegalArgumentException saying what is accepted, when it is not 1d to {@value
   *     #MAX_WINDOW_DAYS}d
   */
  public static LocalDate since(String window) {
    Matcher m = WINDOW.matcher(window == null ? "" : window.trim());
    int days = m.matches() ? Integer.parseInt(m.group(1)) : 0;
    if (days < 1 || days > MAX_WINDOW_DAYS) {
      throw new IllegalArgumentException(
          "since takes a number of days from 1d to "
              + MAX_WINDOW_DAYS
              + "d, such as 30d, not '"
              + window
              + "'");
    }
    return since(days);
  }

  /** The first day of a window of {@code days} days ending today (UTC). */
  public static LocalDate since(int days) {
    return LocalDate.now(ZoneOffset.UTC).minusDays(Math.max(0, days - 1L));
  }

  private static long num(Object o) {
    if (o == null) {
      return 0;
    }
    if (o instanceof Number n) {
      return n.longValue();
    }
    return Long.parseLong(o.toString());
  }

  /** Runs a query and reads its JSONEachRow result. */
  List<Map<String, Object>> rows(String sql) {
    return QueryRows.query(ch, sql);
  }
}

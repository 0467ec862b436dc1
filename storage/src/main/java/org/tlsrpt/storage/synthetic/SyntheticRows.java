package org.tlsrpt.storage.synthetic;

import org.tlsrpt.storage.engine.ClickHouse;

/**
 * Fills a new store with generated policy and failure rows, through the real tables and their
 * materialized views, for {@code tlsrpt bench summary}: 500 organizations, 2,000 policy domains,
 * three modes and three result types over 300 days from 2026-01-01. Generated in ClickHouse itself
 * ({@code numbers()}), so ten million rows load in seconds.
 */
public final class SyntheticRows {
  private final ClickHouse ch;
  private final String db;

  public SyntheticRows(ClickHouse ch, String database) {
    this.ch = ch;
    this.db = database;
  }

  /** What a fill wrote. */
  public record Filled(long failures, long policies) {}

  /**
   * Writes {@code failures} failure rows, one policy row per ten of them (at least one), and marks
   * their days changed as the report store does after a batch, so the daily summary builds them.
   */
  public Filled fill(long failures) {
    long policies = Math.max(1, failures / 10);
    String common =
        "concat('org-', toString(n % 500)) AS organization, concat('report-', toString(n)) AS report_id,"
            + " toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + toIntervalDay(n % 300) AS date_start,"
            + " date_start + toIntervalSecond(86399) AS date_end,"
            + " substring(hex(SHA256(toString(n))), 1, 32) AS report_key,"
            + " concat('domain-', toString(n % 2000), '.example') AS policy_domain,"
            + " ['enforce','testing','none'][n % 3 + 1] AS mode";
    String numbers =
        "(SELECT n, d, "
            + common
            + " FROM (SELECT intDiv(number, 10) AS n,"
            + " number % 10 AS d FROM numbers({N})))";
    ch.execute(
        "INSERT INTO "
            + db
            + ".policies (organization, report_id, date_start, date_end, policy_index,"
            + " report_key, policy_type, policy_domain, mode, successful, failed, received_at, version)"
            + " SELECT organization, report_id, date_start, date_end, 0, report_key, 'sts',"
            + " policy_domain, mode, n % 1000, 10, now64(3), 1 FROM "
            + numbers.replace("{N}", String.valueOf(policies * 10))
            + " WHERE d = 0");
    ch.execute(
        "INSERT INTO "
            + db
            + ".failures (organization, report_id, date_start, date_end, policy_index,"
            + " detail_index, report_key, policy_type, policy_domain, mode, result_type,"
            + " sending_mta_ip, receiving_mx_hostname, failed_session_count, received_at, version)"
            + " SELECT organization, report_id, date_start, date_end, 0, d, report_key, 'sts',"
            + " policy_domain, mode,"
            + " ['certificate-expired','starttls-not-supported','validation-failure'][d % 3 + 1],"
            + " '192.0.2.1', concat('mx', toString(d % 3), '.', policy_domain), 1, now64(3), 1 FROM "
            + numbers.replace("{N}", String.valueOf(failures)));
    // what ReportStore does after a batch: mark the days it wrote as changed
    ch.execute(
        "INSERT INTO "
            + db
            + ".summary_dirty (day, marked_at) SELECT DISTINCT toDate(date_start),"
            + " toUnixTimestamp64Micro(now64(6)) FROM "
            + db
            + ".policies");
    return new Filled(failures, policies);
  }
}

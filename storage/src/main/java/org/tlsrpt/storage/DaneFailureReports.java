package org.tlsrpt.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The DANE failures senders reported for a domain and its MX hosts: the posture check shows them
 * beside the finding that explains them. Names and result types reach SQL as quoted literals.
 */
public final class DaneFailureReports {
  private final ClickHouse clickHouse;
  private final String database;

  /** One sender's failures of one result type on one MX host, and when it last reported them. */
  public record Failure(
      String organization, String resultType, String mxHost, long sessions, Instant last) {}

  public DaneFailureReports(ClickHouse clickHouse, String database) {
    this.clickHouse = clickHouse;
    this.database = database;
  }

  /**
   * Failures of {@code resultTypes} reported since {@code since} under a policy of any of {@code
   * names} (lower-case domain names: the policy domain and its MX hosts).
   */
  public List<Failure> since(List<String> names, List<String> resultTypes, Instant since) {
    if (names.isEmpty() || resultTypes.isEmpty()) {
      return List.of();
    }
    String types = String.join(", ", resultTypes.stream().map(QueryRows::literal).toList());
    String literals = String.join(", ", names.stream().map(QueryRows::literal).toList());
    // a tlsa policy's domain is the MX host (RFC 8460 §4.4); other policies name it per failure
    String sql =
        "SELECT organization, result_type,"
            + " lower(if(policy_type = 'tlsa', policy_domain, ifNull(receiving_mx_hostname, '')))"
            + " AS mx, sum(failed_session_count) AS sessions,"
            + " toUnixTimestamp64Milli(max(date_end)) AS last FROM "
            + database
            + ".failures FINAL WHERE result_type IN ("
            + types
            + ") AND lower(policy_domain) IN ("
            + literals
            + ") AND date_end >= fromUnixTimestamp64Milli("
            + since.toEpochMilli()
            + ", 'UTC') GROUP BY organization, result_type, mx"
            + " ORDER BY organization, result_type, mx";
    List<Failure> out = new ArrayList<>();
    for (Map<String, Object> r : QueryRows.query(clickHouse, sql)) {
      out.add(
          new Failure(
              QueryRows.str(r, "organization"),
              QueryRows.str(r, "result_type"),
              QueryRows.str(r, "mx"),
              QueryRows.num(r, "sessions"),
              Instant.ofEpochMilli(QueryRows.num(r, "last"))));
    }
    return out;
  }
}

package org.tlsrpt.posture.dane;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.tlsrpt.storage.QueryRows;
import org.tlsrpt.storage.engine.ClickHouse;

/** {@link ReportedDaneFailures} read from the {@code failures} table of the report store. */
public final class StoredReportedDaneFailures implements ReportedDaneFailures {
  private static final Pattern NAME = Pattern.compile("[a-z0-9.-]{1,253}");

  private final ClickHouse clickHouse;
  private final String database;

  public StoredReportedDaneFailures(ClickHouse clickHouse, String database) {
    this.clickHouse = clickHouse;
    this.database = database;
  }

  @Override
  public List<Reported> since(String domain, List<String> mxHosts, Instant since) {
    List<String> names = new ArrayList<>();
    names.add(domain);
    names.addAll(mxHosts);
    List<String> literals = new ArrayList<>();
    for (String n : names) {
      String lower = n.toLowerCase(Locale.ROOT);
      if (!NAME.matcher(lower).matches()) {
        throw new IllegalArgumentException("not a domain name: '" + n + "'");
      }
      literals.add(QueryRows.literal(lower));
    }
    String types = String.join(", ", RESULT_TYPES.stream().map(QueryRows::literal).toList());
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
            + String.join(", ", literals)
            + ") AND date_end >= fromUnixTimestamp64Milli("
            + since.toEpochMilli()
            + ", 'UTC') GROUP BY organization, result_type, mx"
            + " ORDER BY organization, result_type, mx";
    List<Reported> out = new ArrayList<>();
    for (Map<String, Object> r : QueryRows.query(clickHouse, sql)) {
      out.add(
          new Reported(
              QueryRows.str(r, "organization"),
              QueryRows.str(r, "result_type"),
              QueryRows.str(r, "mx"),
              QueryRows.num(r, "sessions"),
              Instant.ofEpochMilli(QueryRows.num(r, "last"))));
    }
    return out;
  }
}

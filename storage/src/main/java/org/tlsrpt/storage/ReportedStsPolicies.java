package org.tlsrpt.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The MTA-STS policies senders said, in their stored reports, they applied to a domain (table
 * {@code policies}): what the posture check compares with the policy it fetches.
 */
public final class ReportedStsPolicies {
  private final ClickHouse ch;
  private final String db;

  public ReportedStsPolicies(ClickHouse ch, String database) {
    this.ch = ch;
    this.db = database;
  }

  /** One sending organization's latest report on a domain: its policy lines and its end. */
  public record Latest(String organization, List<String> policyStrings, Instant dateEnd) {
    public Latest {
      policyStrings = List.copyOf(policyStrings);
    }
  }

  /**
   * For each sending organization (by name), the policy strings of its latest {@code sts} report on
   * {@code domain} that ended at or after {@code since}.
   */
  public List<Latest> latest(String domain, Instant since) {
    List<Latest> out = new ArrayList<>();
    for (Map<String, Object> r :
        QueryRows.query(
            ch,
            "SELECT organization, argMax(policy_strings, date_end) AS strings,"
                + " toUnixTimestamp64Milli(max(date_end)) AS last FROM "
                + db
                + ".policies FINAL WHERE policy_type = 'sts' AND policy_domain = "
                + QueryRows.literal(domain)
                + " AND date_end >= "
                + QueryRows.instant(since)
                + " GROUP BY organization ORDER BY organization")) {
      out.add(
          new Latest(
              QueryRows.str(r, "organization"),
              QueryRows.strings(r, "strings"),
              Instant.ofEpochMilli(QueryRows.num(r, "last"))));
    }
    return out;
  }
}

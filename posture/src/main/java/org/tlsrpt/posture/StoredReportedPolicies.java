package org.tlsrpt.posture;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.tlsrpt.storage.ReportedStsPolicies;
import org.tlsrpt.storage.engine.ClickHouse;

/** {@link ReportedPolicies} read from the report store ({@link ReportedStsPolicies}). */
public final class StoredReportedPolicies implements ReportedPolicies {
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9.-]{1,253}");

  private final ReportedStsPolicies stored;

  public StoredReportedPolicies(ClickHouse clickHouse, String database) {
    this.stored = new ReportedStsPolicies(clickHouse, database);
  }

  @Override
  public List<Reported> latest(String domain, Instant since) {
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("not a domain name: '" + domain + "'");
    }
    return stored.latest(domain, since).stream()
        .map(l -> new Reported(l.organization(), l.policyStrings(), l.dateEnd()))
        .toList();
  }
}

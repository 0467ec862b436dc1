package org.tlsrpt.alerting;

import java.time.Instant;
import java.util.List;

/**
 * One alert: what rule fired, for which policy domain and sending organization, and the figures.
 *
 * @param rule the rule that fired (its wire name is what is stored and sent)
 * @param key what cooldown and de-duplication are per (see the alerts table in V002)
 * @param link where the dashboard shows it
 */
public record Alert(
    AlertRule rule,
    String key,
    String policyDomain,
    String organization,
    String mode,
    List<String> resultTypes,
    List<String> mxHosts,
    long failedSessions,
    Instant windowStart,
    Instant windowEnd,
    String message,
    String link) {
  public Alert {
    java.util.Objects.requireNonNull(rule, "rule");
    resultTypes = List.copyOf(resultTypes);
    mxHosts = List.copyOf(mxHosts);
  }
}

package org.tlsrpt.alerting;

import java.time.Instant;
import java.util.List;

/**
 * One alert: what rule fired, for which policy domain and sending organization, and the figures.
 *
 * @param rule enforce_failures, failure_rate, reporter_silent or rejected_spike
 * @param key what cooldown and de-duplication are per (see the alerts table in V002)
 * @param link where the dashboard shows it
 */
public record Alert(
    String rule,
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
    resultTypes = List.copyOf(resultTypes);
    mxHosts = List.copyOf(mxHosts);
  }
}

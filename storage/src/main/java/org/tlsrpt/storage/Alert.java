package org.tlsrpt.storage;

import java.time.Instant;
import java.util.List;

/**
 * One alert: what rule fired, for which policy domain and sending organization, and the figures.
 * The alerting raises it and sends it; {@link AlertHistory} records it in the {@code alerts} table
 * (V002) and reads it back for the cooldown and the dashboard. It lives here, below the alerting,
 * because both sides use it and the store cannot see the alerting.
 *
 * @param rule enforce_failures, failure_rate, reporter_silent, rejected_spike or a posture rule
 * @param key what cooldown and de-duplication are per (column {@code alert_key})
 * @param link where the dashboard shows it; sent with the alert but not stored, so empty on an
 *     alert read back from the history
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

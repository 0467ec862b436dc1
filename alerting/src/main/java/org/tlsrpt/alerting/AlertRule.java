package org.tlsrpt.alerting;

/**
 * The rules an alert can come from. The wire name is what the {@code alerts} table, the webhook
 * body and the {@code X-Tlsrpt-Alert} header carry; it never changes with the constant's name.
 */
public enum AlertRule {
  /** Sessions failed under an enforce-mode policy (or DANE): that mail is refused. */
  ENFORCE_FAILURES("enforce_failures", false),
  /** A domain's failure rate today is well above its 7-day baseline. */
  FAILURE_RATE("failure_rate", true),
  /** A daily reporter stopped sending reports. */
  REPORTER_SILENT("reporter_silent", true),
  /** Many more inputs were rejected in the last hour than before. */
  REJECTED_SPIKE("rejected_spike", false),
  /** A posture check turned to FAIL. */
  POSTURE_FAIL("posture_fail", false),
  /** A certificate is about to expire, or has. */
  POSTURE_CERTIFICATE_EXPIRY("posture_certificate_expiry", true),
  /** MX records and the MTA-STS policy drifted apart. */
  POSTURE_DRIFT("posture_drift", false),
  /** DANE broke: no TLSA record matches an MX's certificate, or DNSSEC is bogus. */
  POSTURE_DANE("posture_dane", false),
  /** A DNSSEC signature the domain's DANE depends on is about to expire. */
  POSTURE_DNSSEC_EXPIRY("posture_dnssec_expiry", true);

  private final String wire;
  private final boolean oncePerKey;

  AlertRule(String wire, boolean oncePerKey) {
    this.wire = wire;
    this.oncePerKey = oncePerKey;
  }

  /** The name stored and sent, e.g. {@code enforce_failures}. */
  public String wire() {
    return wire;
  }

  /**
   * True when the alert key names its window (the day of a failure rate, the start of a silence,
   * the certificate and its state): sent once per key, not again after the cooldown.
   */
  public boolean oncePerKey() {
    return oncePerKey;
  }
}

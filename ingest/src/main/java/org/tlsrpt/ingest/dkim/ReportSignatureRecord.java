package org.tlsrpt.ingest.dkim;

import java.time.Duration;
import org.apache.james.jdkim.tagvalue.SignatureRecordImpl;

/**
 * A DKIM-Signature checked as a report's signature must be: valid as a tag list (RFC 6376 §3.5),
 * without {@code l=} (RFC 8460 §3: the whole body is signed) and not {@code rsa-sha1} (RFC 8301).
 * {@link #validate()} is deferred until the record exists, so that a refused signature keeps its d=
 * and {@link #problem()} says why it was refused; it then fails before its key is looked up.
 *
 * <p>jDKIM fails every signature whose {@code t=} lies in the future, even by a second; a sender's
 * clock a little ahead of ours is common, so up to {@link #ALLOWED_CLOCK_SKEW} ahead counts as
 * signed now.
 */
final class ReportSignatureRecord extends SignatureRecordImpl {
  /** How far in the future a signature's t= may be. */
  static final Duration ALLOWED_CLOCK_SKEW = Duration.ofMinutes(5);

  private final long createdAt = System.currentTimeMillis() / 1000;
  // no initializers: SignatureRecordImpl's constructor calls validate() before they would run
  private boolean parsed;
  private String problem;

  /**
   * @throws IllegalStateException the value is not a tag list
   */
  ReportSignatureRecord(String value) {
    super(value);
    parsed = true;
  }

  @Override
  public void validate() {
    if (!parsed) {
      return;
    }
    if (containsTag("l")) {
      reject("l= (a body length limit) is not allowed in a report's signature (RFC 8460 §3)");
    }
    try {
      super.validate();
    } catch (IllegalStateException e) {
      reject("invalid DKIM-Signature: " + e.getMessage());
    }
    if ("sha1".equalsIgnoreCase(String.valueOf(getHashMethod()))) {
      reject("a=rsa-sha1 is not allowed (RFC 8301); the signature must use rsa-sha256");
    }
  }

  private void reject(String why) {
    problem = why;
    throw new IllegalStateException(why);
  }

  /** Why {@link #validate()} refused this signature, or null. */
  String problem() {
    return problem;
  }

  /** The d= tag, lower case without a final dot, or null if missing. */
  String signingDomain() {
    CharSequence d = getValue("d");
    if (d == null) {
      return null;
    }
    String s = d.toString().strip().toLowerCase(java.util.Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** The s= tag, or null if missing. */
  String selector() {
    CharSequence s = getValue("s");
    return s == null ? null : s.toString().strip();
  }

  @Override
  public Long getSignatureTimestamp() {
    Long t = super.getSignatureTimestamp();
    if (t != null && t > createdAt && t - createdAt <= ALLOWED_CLOCK_SKEW.toSeconds()) {
      return createdAt;
    }
    return t;
  }
}

package org.tlsrpt.parser.model;

import java.util.Objects;

/**
 * A failure's {@code result-type} (RFC 8460 §4.3, IANA "STARTTLS Validation Result Types"). The
 * registry is extensible, so the wire string is always kept; {@link #known()} is {@code null} for a
 * value this version does not know.
 */
public record ResultType(String wire, Known known) {

  /** The eleven values registered by RFC 8460 §6.6. */
  public enum Known {
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    CERTIFICATE_EXPIRED("certificate-expired"),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    VALIDATION_FAILURE("validation-failure"),
    TLSA_INVALID("tlsa-invalid"),
    DNSSEC_INVALID("dnssec-invalid"),
    DANE_REQUIRED("dane-required"),
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    STS_POLICY_INVALID("sts-policy-invalid"),
    STS_WEBPKI_INVALID("sts-webpki-invalid");

    private final String wire;

    Known(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public ResultType {
    Objects.requireNonNull(wire, "wire");
  }

  /** The result type for a wire string; matching is exact, as the registry's values are. */
  private static final java.util.Map<String, ResultType> KNOWN = registry();

  private static java.util.Map<String, ResultType> registry() {
    java.util.Map<String, ResultType> m = new java.util.HashMap<>();
    for (Known k : Known.values()) {
      m.put(k.wire, new ResultType(k.wire, k));
    }
    return java.util.Map.copyOf(m);
  }

  /** The type for a wire string; matching is exact, as the registry's values are. */
  public static ResultType of(String wire) {
    ResultType known = KNOWN.get(wire);
    return known != null ? known : new ResultType(wire, null);
  }

  public boolean isKnown() {
    return known != null;
  }
}

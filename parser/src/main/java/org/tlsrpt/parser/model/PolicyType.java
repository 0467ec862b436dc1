package org.tlsrpt.parser.model;

import java.util.Objects;

/**
 * A policy's {@code policy-type} (RFC 8460 §4.4): {@code sts}, {@code tlsa} or {@code
 * no-policy-found}. An unknown value is kept verbatim with {@link #known()} {@code null}.
 */
public record PolicyType(String wire, Known known) {

  /** The three values RFC 8460 §4.4 defines. */
  public enum Known {
    STS("sts"),
    TLSA("tlsa"),
    NO_POLICY_FOUND("no-policy-found");

    private final String wire;

    Known(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public PolicyType {
    Objects.requireNonNull(wire, "wire");
  }

  public static PolicyType of(String wire) {
    for (Known k : Known.values()) {
      if (k.wire.equals(wire)) {
        return new PolicyType(k.wire, k);
      }
    }
    return new PolicyType(wire, null);
  }

  public boolean isKnown() {
    return known != null;
  }

  public boolean is(Known k) {
    return known == k;
  }
}

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

  private static final java.util.Map<String, PolicyType> KNOWN = registry();

  private static java.util.Map<String, PolicyType> registry() {
    java.util.Map<String, PolicyType> m = new java.util.HashMap<>();
    for (Known k : Known.values()) {
      m.put(k.wire, new PolicyType(k.wire, k));
    }
    return java.util.Map.copyOf(m);
  }

  /** The type for a wire string; matching is exact, as the registry's values are. */
  public static PolicyType of(String wire) {
    PolicyType known = KNOWN.get(wire);
    return known != null ? known : new PolicyType(wire, null);
  }

  public boolean isKnown() {
    return known != null;
  }

  public boolean is(Known k) {
    return known == k;
  }
}

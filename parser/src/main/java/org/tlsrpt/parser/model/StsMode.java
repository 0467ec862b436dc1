package org.tlsrpt.parser.model;

/** The MTA-STS policy mode (RFC 8461 §3.2), read from an sts policy's {@code mode:} line. */
public enum StsMode {
  /** Senders refuse to deliver when validation fails: failures here are lost mail. */
  ENFORCE("enforce"),
  /** Senders report failures but deliver anyway. */
  TESTING("testing"),
  /** The domain has opted out; treated as no policy. */
  NONE("none");

  private static final StsMode[] ALL = values();

  private final String wire;

  StsMode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The mode for a policy value, or {@code null} when it is none of the three. */
  public static StsMode fromWire(String value) {
    for (StsMode m : ALL) {
      if (m.wire.equals(value)) {
        return m;
      }
    }
    return null;
  }
}

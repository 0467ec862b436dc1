package org.tlsrpt.storage;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What is known of an input's DKIM signatures (RFC 8460 §3). Stored in the reports' {@code dkim}
 * column and carried in Kafka headers as its wire string, which never changes for a value.
 */
public enum DkimResult {
  /** A valid signature aligned with the reporting domain. */
  PASS("pass"),
  /** Signed, but no signature is valid and aligned. */
  FAIL("fail"),
  /** Not signed. */
  NONE("none"),
  /** The key could not be fetched (stored only when DKIM failures do not quarantine). */
  TEMPERROR("temperror"),
  /** The check was off, or the input is not an e-mail tlsrpt received (an import, the demo). */
  NOT_CHECKED("not-checked"),
  /** Posted over HTTPS, which carries no authentication (RFC 8460 §3). */
  UNAUTHENTICATED("unauthenticated"),
  /** Quarantined, then released by an operator ({@code tlsrpt quarantine release}). */
  RELEASED("released");

  private final String wire;

  DkimResult(String wire) {
    this.wire = wire;
  }

  /** The stored form: {@code pass}, {@code not-checked}... */
  public String wire() {
    return wire;
  }

  /**
   * The result stored as {@code wire}.
   *
   * @throws IllegalArgumentException not a result tlsrpt writes, with the ones it does
   */
  public static DkimResult fromWire(String wire) {
    for (DkimResult d : values()) {
      if (d.wire.equals(wire)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "DKIM result '"
            + wire
            + "' is not one of "
            + Arrays.stream(values()).map(DkimResult::wire).collect(Collectors.joining(", ")));
  }
}

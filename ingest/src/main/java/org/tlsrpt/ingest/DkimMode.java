package org.tlsrpt.ingest;

import java.util.Locale;

/** What to do with the DKIM verdict of a report e-mail (RFC 8460 §3). */
public enum DkimMode {
  /** Failing reports are quarantined: kept raw, visible, not counted, releasable. */
  ENFORCE,
  /** The verdict is stored; every report counts. */
  RECORD,
  /** No check. */
  OFF;

  public static DkimMode parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "enforce" -> ENFORCE;
      case "record" -> RECORD;
      case "off" -> OFF;
      default ->
          throw new IllegalArgumentException(
              "DKIM mode is enforce, record or off, not '" + s + "'");
    };
  }
}

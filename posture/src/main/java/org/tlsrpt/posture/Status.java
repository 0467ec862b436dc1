package org.tlsrpt.posture;

import java.util.Locale;

/**
 * The verdict of one finding. {@link #NOT_CHECKED} says plainly that something was not looked at (a
 * prerequisite failed, or the check is not implemented or not configured); it never makes a result
 * worse than OK.
 */
public enum Status {
  OK,
  WARN,
  FAIL,
  NOT_CHECKED;

  /** The lower-case form used in the table and in JSON: ok, warn, fail, not_checked. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The worse of two verdicts; NOT_CHECKED counts as OK. */
  static Status worse(Status a, Status b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(Status s) {
    return switch (s) {
      case NOT_CHECKED -> -1;
      case OK -> 0;
      case WARN -> 1;
      case FAIL -> 2;
    };
  }
}

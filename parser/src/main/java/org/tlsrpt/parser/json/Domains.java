package org.tlsrpt.parser.json;

import java.util.Locale;

/** Domain names as stored: trimmed, lower-case, without a trailing root dot. */
final class Domains {
  private Domains() {}

  static String normalise(String name) {
    String s = name.trim().toLowerCase(Locale.ROOT);
    if (s.length() > 1 && s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}

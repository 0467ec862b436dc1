package org.tlsrpt.parser.json;

import java.util.Locale;

/** Domain names as stored: trimmed, lower-case, without a trailing root dot. */
final class Domains {
  private Domains() {}

  static String normalise(String name) {
    if (isNormal(name)) {
      return name;
    }
    String s = name.trim().toLowerCase(Locale.ROOT);
    if (s.length() > 1 && s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** One pass over the common case: already lower-case, trimmed, no trailing dot. */
  private static boolean isNormal(String s) {
    int n = s.length();
    if (n == 0 || s.charAt(n - 1) == '.') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if ((c >= 'A' && c <= 'Z') || c <= ' ' || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}

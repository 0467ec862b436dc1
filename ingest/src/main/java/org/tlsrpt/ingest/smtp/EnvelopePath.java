package org.tlsrpt.ingest.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The argument of {@code MAIL FROM:<path> params} or {@code RCPT TO:<path> params} (RFC 5321
 * §4.1.2): the address, without its angle brackets or an old source route, and the ESMTP parameters
 * by upper-cased keyword (a parameter without a value maps to the empty string).
 */
record EnvelopePath(String address, Map<String, String> params) {
  /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, with its brackets. */
  private static final int MAX_PATH = 256;

  EnvelopePath {
    params = Map.copyOf(params);
  }

  /**
   * @param args what follows the verb, e.g. {@code " FROM:<a@b.example> SIZE=1024"}
   * @param keyword {@code FROM:} or {@code TO:}
   * @return null when the argument is not of that form
   */
  static EnvelopePath parse(String args, String keyword) {
    String s = args.strip();
    if (!s.regionMatches(true, 0, keyword, 0, keyword.length())) {
      return null;
    }
    s = s.substring(keyword.length()).stripLeading(); // "FROM: <a@b>" is common enough to allow
    String path;
    String rest;
    if (s.startsWith("<")) {
      int end = s.indexOf('>');
      if (end < 0) {
        return null;
      }
      path = s.substring(1, end);
      rest = s.substring(end + 1);
      if (!rest.isEmpty() && rest.charAt(0) != ' ') {
        return null;
      }
    } else {
      int space = s.indexOf(' ');
      path = space < 0 ? s : s.substring(0, space); // a bare address, as some clients still send
      rest = space < 0 ? "" : s.substring(space);
      if (path.isEmpty()) {
        return null;
      }
    }
    if (path.length() + 2 > MAX_PATH || !printable(path)) {
      return null;
    }
    if (path.startsWith("@")) { // a source route, "@relay.example:user@host.example": ignored
      int colon = path.indexOf(':');
      if (colon < 0) {
        return null;
      }
      path = path.substring(colon + 1);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String p : rest.strip().split(" +")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
      if (key.isEmpty() || params.putIfAbsent(key, eq < 0 ? "" : p.substring(eq + 1)) != null) {
        return null;
      }
    }
    return new EnvelopePath(path, params);
  }

  /**
   * Whether the address has a local part and a domain (or is {@code postmaster}, RFC 5321 §4.5.1).
   */
  boolean isMailbox() {
    int at = address.lastIndexOf('@');
    return (at > 0 && at < address.length() - 1) || address.equalsIgnoreCase("postmaster");
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}

package org.tlsrpt.parser.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tlsrpt.parser.model.StsMode;
import org.tlsrpt.parser.model.StsPolicy;
import org.tlsrpt.parser.model.TlsaRecord;
import org.tlsrpt.parser.rules.Warning;

/**
 * Derives structure from a policy's {@code policy-string} (RFC 8460 §4.5). The strings may "include
 * any errors that may be present", so nothing here rejects: what cannot be read becomes a warning
 * and the raw strings are kept.
 */
final class PolicyStrings {
  private PolicyStrings() {}

  private static final StsMode[] MODES = StsMode.values();

  /** An MTA-STS policy from its lines (RFC 8461 §3.2): first value wins, except for mx. */
  static StsPolicy sts(List<String> lines, Loc field, List<Warning> warnings) {
    String version = null;
    String modeText = null;
    String maxAgeText = null;
    List<String> mx = new ArrayList<>(4);
    StsMode mode = null;
    for (String element : lines) {
      // one element per line is the rule; a sender that put the whole policy in one element gets
      // split
      for (String line :
          element.indexOf('\n') < 0 ? List.of(element) : List.of(element.split("\r?\n"))) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        int ks = skipSpaces(line, 0, colon);
        int ke = trimEnd(line, ks, colon);
        int vs = skipSpaces(line, colon + 1, line.length());
        int ve = trimEnd(line, vs, line.length());
        if (isKey(line, ks, ke, "mx")) {
          mx.add(Domains.normalise(line.substring(vs, ve)));
        } else if (isKey(line, ks, ke, "mode")) {
          if (modeText == null) {
            modeText = line.substring(vs, ve);
            mode = modeOf(line, vs, ve);
          }
        } else if (isKey(line, ks, ke, "max_age")) {
          maxAgeText = maxAgeText == null ? line.substring(vs, ve) : maxAgeText;
        } else if (isKey(line, ks, ke, "version")) {
          version = version == null ? line.substring(vs, ve) : version;
        }
      }
    }
    if (modeText == null) {
      warnings.add(new Warning("sts_mode_missing", field + " has no 'mode:' line"));
    } else {
      if (mode == null) {
        warnings.add(
            new Warning(
                "sts_mode_unknown",
                field
                    + " mode '"
                    + Rfc3339.abbreviate(modeText)
                    + "' is not enforce, testing or none"));
      }
    }
    Long maxAge = null;
    if (maxAgeText != null) {
      if (maxAgeText.length() <= 10 && isDigits(maxAgeText)) {
        maxAge = Long.parseLong(maxAgeText);
      } else {
        warnings.add(
            new Warning(
                "sts_max_age_invalid",
                field
                    + " max_age '"
                    + Rfc3339.abbreviate(maxAgeText)
                    + "' is not a number of seconds"));
      }
    }
    return new StsPolicy(version, mode, maxAge, mx);
  }

  /**
   * TLSA records from their presentation form. Microsoft sends one string holding a JSON-encoded
   * array of records; that is unwrapped with a warning.
   */
  static List<TlsaRecord> tlsa(List<String> strings, Loc field, List<Warning> warnings) {
    List<String> records = strings;
    if (strings.size() == 1 && strings.get(0).trim().startsWith("[")) {
      records = jsonEncodedArray(strings.get(0));
      if (records == null) {
        warnings.add(
            new Warning(
                "tlsa_record_invalid", field + "[0] is neither a TLSA record nor a JSON array"));
        return List.of();
      }
      warnings.add(
          new Warning(
              "tlsa_json_encoded",
              field + " holds one JSON-encoded array of " + records.size() + " TLSA records"));
    }
    List<TlsaRecord> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      TlsaRecord r = tlsaRecord(records.get(i));
      if (r == null) {
        warnings.add(
            new Warning(
                "tlsa_record_invalid",
                field
                    + "["
                    + i
                    + "] '"
                    + Rfc3339.abbreviate(records.get(i))
                    + "' is not a TLSA record"));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Reads a JSON array of strings held in one string, without starting a second JSON parser: the
   * array is flat and small, and a parser per policy costs more than the whole report.
   */
  static List<String> jsonEncodedArray(String text) {
    int n = text.length();
    int i = skipSpaces(text, 0, n);
    if (i == n || text.charAt(i) != '[') {
      return null;
    }
    List<String> out = new ArrayList<>(4);
    i = skipSpaces(text, i + 1, n);
    if (i < n && text.charAt(i) == ']') {
      return skipSpaces(text, i + 1, n) == n ? out : null;
    }
    StringBuilder b = new StringBuilder(80);
    while (i < n) {
      if (text.charAt(i) != '"') {
        return null;
      }
      b.setLength(0);
      i++;
      while (i < n && text.charAt(i) != '"') {
        char c = text.charAt(i++);
        if (c == '\\') {
          if (i >= n) {
            return null;
          }
          char e = text.charAt(i++);
          switch (e) {
            case '"', '\\', '/' -> b.append(e);
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'n' -> b.append('\n');
            case 'r' -> b.append('\r');
            case 't' -> b.append('\t');
            case 'u' -> {
              if (i + 4 > n) {
                return null;
              }
              int code = 0;
              for (int k = 0; k < 4; k++) {
                int d = org.tlsrpt.parser.mime.Hex.digit(text.charAt(i++));
                if (d < 0) {
                  return null;
                }
                code = code * 16 + d;
              }
              b.append((char) code);
            }
            default -> {
              return null;
            }
          }
        } else if (c < 0x20) {
          return null;
        } else {
          b.append(c);
        }
      }
      if (i >= n) {
        return null;
      }
      out.add(b.toString());
      i = skipSpaces(text, i + 1, n);
      if (i < n && text.charAt(i) == ',') {
        i = skipSpaces(text, i + 1, n);
      } else if (i < n && text.charAt(i) == ']') {
        return skipSpaces(text, i + 1, n) == n ? out : null;
      } else {
        return null;
      }
    }
    return null;
  }

  private static TlsaRecord tlsaRecord(String text) {
    String[] f = splitWhitespace(text);
    if (f.length < 4) {
      return null;
    }
    Integer usage = uint8(f[0]);
    Integer selector = uint8(f[1]);
    Integer mtype = uint8(f[2]);
    // RFC 6698 presentation form allows the data to be split by white space
    String data = f.length == 4 ? f[3] : String.join("", List.of(f).subList(3, f.length));
    if (usage == null || selector == null || mtype == null || !isHex(data)) {
      return null;
    }
    return new TlsaRecord(usage, selector, mtype, data.toUpperCase(Locale.ROOT));
  }

  private static StsMode modeOf(String line, int from, int to) {
    for (StsMode m : MODES) {
      String w = m.wire();
      if (to - from == w.length() && line.regionMatches(true, from, w, 0, w.length())) {
        return m;
      }
    }
    return null;
  }

  private static boolean isKey(String line, int from, int to, String key) {
    return to - from == key.length() && line.startsWith(key, from);
  }

  private static int skipSpaces(String s, int from, int to) {
    while (from < to && s.charAt(from) <= ' ') {
      from++;
    }
    return from;
  }

  private static int trimEnd(String s, int from, int to) {
    while (to > from && s.charAt(to - 1) <= ' ') {
      to--;
    }
    return to;
  }

  private static String[] splitWhitespace(String text) {
    List<String> parts = new ArrayList<>(4);
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        parts.add(text.substring(start, i));
      }
    }
    return parts.toArray(new String[0]);
  }

  private static Integer uint8(String s) {
    if (s.length() > 3 || !isDigits(s)) {
      return null;
    }
    int v = Integer.parseInt(s);
    return v <= 255 ? v : null;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String s) {
    if (s.isEmpty() || s.length() % 2 != 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (org.tlsrpt.parser.mime.Hex.digit(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}

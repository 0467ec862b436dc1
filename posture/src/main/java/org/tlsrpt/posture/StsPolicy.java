package org.tlsrpt.posture;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An MTA-STS policy file as RFC 8461 §3.2 defines it.
 *
 * @param mode enforce, testing or none
 * @param maxAge seconds senders may cache the policy
 * @param mx the mx patterns, lower-case, as written
 * @param lines the policy's lines, stripped, in order (for comparison with the policy strings of
 *     reports)
 */
record StsPolicy(String mode, long maxAge, List<String> mx, List<String> lines) {

  static final long MAX_AGE_LIMIT = 31_557_600;

  StsPolicy {
    mx = List.copyOf(mx);
    lines = List.copyOf(lines);
  }

  /** The outcome of reading a policy body. */
  sealed interface Outcome {
    record Parsed(StsPolicy policy, List<String> warnings) implements Outcome {}

    record Invalid(List<String> problems) implements Outcome {}
  }

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
  private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7e]*");
  private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  /** Reads a policy body: lines end in LF or CRLF, fields are {@code key: value}. */
  static Outcome parse(byte[] body) {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String text = new String(body, StandardCharsets.UTF_8);
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
      problems.add("the policy contains bytes that are not ASCII");
    }
    String version = null;
    String mode = null;
    String maxAge = null;
    List<String> mx = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    String[] raw = text.split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
      int n = i + 1;
      if (line.isEmpty()) {
        if (i < raw.length - 1 && !raw[i + 1].isEmpty()) {
          problems.add("line " + n + " is empty");
        }
        continue;
      }
      if (line.indexOf('\r') >= 0) {
        problems.add("line " + n + " contains a CR that does not end the line");
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        problems.add("line " + n + " '" + line + "' is not 'key: value'");
        continue;
      }
      String key = line.substring(0, colon);
      String value = line.substring(colon + 1).strip();
      if (!KEY.matcher(key).matches()) {
        problems.add("line " + n + ": '" + key + "' is not a valid field name");
        continue;
      }
      if (!VALUE.matcher(value).matches()) {
        problems.add("line " + n + ": the value of " + key + " has characters not allowed");
        continue;
      }
      lines.add(key + ": " + value);
      switch (key) {
        case "version" -> version = first(key, version, value, warnings);
        case "mode" -> mode = first(key, mode, value, warnings);
        case "max_age" -> maxAge = first(key, maxAge, value, warnings);
        case "mx" -> {
          String pattern = value.toLowerCase(Locale.ROOT);
          if (!validPattern(pattern)) {
            problems.add("line " + n + ": mx '" + value + "' is not a host name or *.domain");
          } else {
            mx.add(pattern);
          }
        }
        default -> warnings.add("unknown field '" + key + "' (ignored by senders)");
      }
    }
    if (version == null) {
      problems.add("no version field (version: STSv1)");
    } else if (!version.equals("STSv1")) {
      problems.add("version is '" + version + "', not STSv1");
    }
    if (mode == null) {
      problems.add("no mode field (mode: enforce, testing or none)");
    } else if (!mode.equals("enforce") && !mode.equals("testing") && !mode.equals("none")) {
      problems.add("mode is '" + mode + "', not enforce, testing or none");
    }
    long age = -1;
    if (maxAge == null) {
      problems.add("no max_age field");
    } else if (!MAX_AGE.matcher(maxAge).matches()
        || (age = Long.parseLong(maxAge)) > MAX_AGE_LIMIT) {
      problems.add(
          "max_age '" + maxAge + "' is not a number of seconds from 0 to " + MAX_AGE_LIMIT);
    }
    if (mx.isEmpty() && mode != null && !mode.equals("none")) {
      problems.add("no mx field: a policy in mode " + mode + " needs at least one");
    }
    if (!problems.isEmpty()) {
      return new Outcome.Invalid(problems);
    }
    return new Outcome.Parsed(new StsPolicy(mode, age, mx, lines), warnings);
  }

  private static String first(String key, String seen, String value, List<String> warnings) {
    if (seen != null) {
      warnings.add(key + " appears more than once; senders may use either");
      return seen;
    }
    return value;
  }

  private static boolean validPattern(String pattern) {
    String host = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Whether any mx pattern matches this host. */
  boolean covers(String host) {
    return mx.stream().anyMatch(p -> matches(p, host));
  }

  /**
   * RFC 8461 §4.1: a pattern matches the host itself, and {@code *.example.com} matches a host with
   * exactly one more label on the left ({@code mx1.example.com}, not {@code a.b.example.com} nor
   * {@code example.com}). Case and a trailing dot do not matter.
   */
  static boolean matches(String pattern, String host) {
    String p = trimDot(pattern.toLowerCase(Locale.ROOT));
    String h = trimDot(host.toLowerCase(Locale.ROOT));
    if (p.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot + 1).equals(p.substring(2));
    }
    return p.equals(h);
  }

  private static String trimDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}

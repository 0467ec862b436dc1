package org.tlsrpt.parser.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A structured header value such as {@code Content-Type} or {@code Content-Disposition}: a
 * lower-case value before the first ';' and its parameters (RFC 2045 §5.1), with RFC 2231
 * continuations and charsets and RFC 2047 words in file names. Parameter names are lower-case;
 * quoting is lenient (unquoted values with spaces or '=' occur in real mail).
 */
public record HeaderValue(String value, Map<String, String> params) {

  public HeaderValue {
    params = Collections.unmodifiableMap(params);
  }

  static final HeaderValue EMPTY = new HeaderValue("", Map.of());

  /** Parameters read from one header; real ones have a handful. */
  static final int MAX_PARAMETERS = 64;

  /** RFC 2231 continuation sections read for one parameter. */
  static final int MAX_SECTIONS = 100;

  public String param(String name) {
    return params.get(name);
  }

  static HeaderValue parse(String header) {
    if (header == null) {
      return EMPTY;
    }
    int n = header.length();
    int semi = header.indexOf(';');
    String value = lower((semi < 0 ? header : header.substring(0, semi)).trim());
    int paren = value.indexOf('(');
    if (paren >= 0) {
      value = value.substring(0, paren).trim();
    }
    if (semi < 0) {
      return new HeaderValue(value, Map.of());
    }
    Map<String, String> simple = new HashMap<>(4);
    int count = 0;
    Map<String, TreeMap<Integer, String[]>> continued = null;
    int i = semi + 1;
    while (i < n) {
      while (i < n && (header.charAt(i) == ';' || Character.isWhitespace(header.charAt(i)))) {
        i++;
      }
      int eq = header.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      int semiBefore = header.indexOf(';', i);
      if (semiBefore >= 0 && semiBefore < eq) {
        i = semiBefore + 1; // a parameter without a value: skip it, do not swallow the next
        continue;
      }
      if (++count > MAX_PARAMETERS) {
        break;
      }
      String name = lower(header.substring(i, eq).trim());
      i = eq + 1;
      while (i < n && Character.isWhitespace(header.charAt(i))) {
        i++;
      }
      String v;
      if (i < n && header.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        while (i < n && header.charAt(i) != '"') {
          char c = header.charAt(i);
          if (c == '\\' && i + 1 < n) {
            c = header.charAt(++i);
          }
          b.append(c);
          i++;
        }
        i++; // closing quote
        v = b.toString();
      } else {
        int end = header.indexOf(';', i);
        if (end < 0) {
          end = n;
        }
        v = header.substring(i, end).trim();
        i = end;
      }
      if (name.isEmpty()) {
        continue;
      }
      int star = name.indexOf('*');
      if (star < 0) {
        simple.putIfAbsent(name, v);
        continue;
      }
      // RFC 2231: name*=charset'lang'pct-encoded, name*0=..., name*1*=...
      String base = name.substring(0, star);
      String rest = name.substring(star + 1);
      boolean extended = rest.endsWith("*") || rest.isEmpty();
      String index = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
      int section;
      try {
        section = index.isEmpty() ? 0 : Integer.parseInt(index);
      } catch (NumberFormatException e) {
        continue;
      }
      if (section < 0 || section >= MAX_SECTIONS) {
        continue;
      }
      if (continued == null) {
        continued = new HashMap<>(2);
      }
      continued
          .computeIfAbsent(base, k -> new TreeMap<>())
          .putIfAbsent(section, new String[] {v, extended ? "*" : ""});
    }
    if (continued != null) {
      for (var e : continued.entrySet()) {
        simple.put(e.getKey(), joinRfc2231(e.getValue()));
      }
    }
    return new HeaderValue(value, simple);
  }

  /** Lower-cases ASCII letters, without a copy when there are none. */
  private static String lower(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 'A' && c <= 'Z') || c > 0x7f) {
        return s.toLowerCase(Locale.ROOT);
      }
    }
    return s;
  }

  private static String joinRfc2231(TreeMap<Integer, String[]> sections) {
    Charset charset = StandardCharsets.UTF_8;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean first = true;
    for (String[] s : sections.values()) {
      String v = s[0];
      boolean extended = !s[1].isEmpty();
      if (first && extended) {
        int a = v.indexOf('\'');
        int b = a < 0 ? -1 : v.indexOf('\'', a + 1);
        if (b > 0) {
          charset = Charsets.named(v.substring(0, a));
          v = v.substring(b + 1);
        }
      }
      first = false;
      if (extended) {
        for (int i = 0; i < v.length(); i++) {
          char c = v.charAt(i);
          if (c == '%' && i + 2 < v.length()) {
            int hi = Hex.digit(v.charAt(i + 1));
            int lo = Hex.digit(v.charAt(i + 2));
            if (hi >= 0 && lo >= 0) {
              bytes.write((hi << 4) | lo);
              i += 2;
              continue;
            }
          }
          bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
      } else {
        bytes.writeBytes(v.getBytes(StandardCharsets.UTF_8));
      }
    }
    return new String(bytes.toByteArray(), charset);
  }
}

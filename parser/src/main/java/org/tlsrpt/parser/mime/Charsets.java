package org.tlsrpt.parser.mime;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Charsets named in headers, from a fixed list: looking up an arbitrary name makes the JDK scan the
 * class path for providers, which a sender could make us do for every word of a header. Unknown
 * names read as UTF-8.
 */
final class Charsets {
  private Charsets() {}

  private static final Map<String, Charset> KNOWN = known();

  private static Map<String, Charset> known() {
    Map<String, Charset> m = new HashMap<>();
    List<String> names =
        List.of(
            "UTF-8",
            "US-ASCII",
            "ISO-8859-1",
            "ISO-8859-2",
            "ISO-8859-3",
            "ISO-8859-4",
            "ISO-8859-5",
            "ISO-8859-6",
            "ISO-8859-7",
            "ISO-8859-8",
            "ISO-8859-9",
            "ISO-8859-13",
            "ISO-8859-15",
            "windows-1250",
            "windows-1251",
            "windows-1252",
            "windows-1253",
            "windows-1254",
            "windows-1255",
            "windows-1256",
            "windows-1257",
            "windows-1258",
            "KOI8-R",
            "KOI8-U",
            "UTF-16",
            "UTF-16BE",
            "UTF-16LE",
            "GB2312",
            "GBK",
            "GB18030",
            "Big5",
            "Shift_JIS",
            "EUC-JP",
            "ISO-2022-JP",
            "EUC-KR");
    for (String name : names) {
      if (Charset.isSupported(name)) {
        Charset c = Charset.forName(name);
        m.put(name.toLowerCase(Locale.ROOT), c);
        for (String alias : c.aliases()) {
          m.put(alias.toLowerCase(Locale.ROOT), c);
        }
      }
    }
    return Map.copyOf(m);
  }

  static Charset named(String name) {
    Charset c = KNOWN.get(name.trim().toLowerCase(Locale.ROOT));
    return c == null ? StandardCharsets.UTF_8 : c;
  }
}

package org.tlsrpt.parser.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Decodes RFC 2047 encoded words ({@code =?charset?B|Q?text?=}) in header values. Adjacent words in
 * the same charset are decoded together, so a character split across two words survives; a
 * malformed word is kept as it is and decoding goes on after it.
 */
final class EncodedWords {
  private EncodedWords() {}

  static String decode(String value) {
    if (value.indexOf("=?") < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    Charset pendingCharset = null;
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf("=?", i);
      if (start < 0) {
        flush(out, pending, pendingCharset);
        out.append(value, i, value.length());
        break;
      }
      EncodedWord w = EncodedWord.at(value, start);
      if (w == null) {
        flush(out, pending, pendingCharset);
        pendingCharset = null;
        out.append(value, i, start + 2);
        i = start + 2;
        continue;
      }
      String between = value.substring(i, start);
      boolean adjacent = pendingCharset != null && between.isBlank();
      if (!adjacent || !w.charset().equals(pendingCharset)) {
        flush(out, pending, pendingCharset);
        if (!adjacent) {
          out.append(between);
        }
      }
      pending.writeBytes(w.bytes());
      pendingCharset = w.charset();
      i = w.end();
    }
    if (i >= value.length()) {
      flush(out, pending, pendingCharset);
    }
    return out.toString();
  }

  private static void flush(StringBuilder out, ByteArrayOutputStream pending, Charset charset) {
    if (pending.size() > 0) {
      out.append(
          new String(pending.toByteArray(), charset == null ? StandardCharsets.UTF_8 : charset));
      pending.reset();
    }
  }
}

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

  private record Word(Charset charset, byte[] bytes, int end) {}

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
      Word w = word(value, start);
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

  /** The encoded word starting at {@code start}, or null when there is none there. */
  private static Word word(String value, int start) {
    int q1 = value.indexOf('?', start + 2);
    if (q1 < 0 || q1 + 2 >= value.length() || value.charAt(q1 + 2) != '?') {
      return null;
    }
    int end = value.indexOf("?=", q1 + 3);
    if (end < 0) {
      return null;
    }
    String charsetName = value.substring(start + 2, q1);
    int star = charsetName.indexOf('*'); // RFC 2231 language suffix
    if (star >= 0) {
      charsetName = charsetName.substring(0, star);
    }
    char encoding = Character.toUpperCase(value.charAt(q1 + 1));
    byte[] ascii = value.substring(q1 + 3, end).getBytes(StandardCharsets.ISO_8859_1);
    byte[] bytes;
    if (encoding == 'B') {
      Slice s = TransferDecoding.base64(ascii, 0, ascii.length);
      bytes = java.util.Arrays.copyOfRange(s.bytes(), s.offset(), s.offset() + s.length());
    } else if (encoding == 'Q') {
      ByteArrayOutputStream b = new ByteArrayOutputStream(ascii.length);
      for (int i = 0; i < ascii.length; i++) {
        byte c = ascii[i];
        int hi = i + 2 < ascii.length ? Hex.digit(ascii[i + 1]) : -1;
        int lo = i + 2 < ascii.length ? Hex.digit(ascii[i + 2]) : -1;
        if (c == '_') {
          b.write(' ');
        } else if (c == '=' && hi >= 0 && lo >= 0) {
          b.write((hi << 4) | lo);
          i += 2;
        } else {
          b.write(c);
        }
      }
      bytes = b.toByteArray();
    } else {
      return null;
    }
    return new Word(Charsets.named(charsetName), bytes, end + 2);
  }
}

package org.tlsrpt.parser.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Decodes RFC 2047 encoded words ({@code =?charset?B|Q?text?=}) in header values. */
final class EncodedWords {
  private EncodedWords() {}

  static String decode(String value) {
    if (value.indexOf("=?") < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    int pendingWhitespaceStart = -1;
    boolean lastWasWord = false;
    while (i < value.length()) {
      int start = value.indexOf("=?", i);
      if (start < 0) {
        out.append(value, i, value.length());
        break;
      }
      int q1 = value.indexOf('?', start + 2);
      int q2 = q1 < 0 ? -1 : value.indexOf('?', q1 + 1);
      int end = q2 < 0 ? -1 : value.indexOf("?=", q2 + 1);
      if (q1 < 0 || q2 != q1 + 2 || end < 0) {
        out.append(value, i, value.length());
        break;
      }
      String between = value.substring(i, start);
      // white space between two adjacent encoded words is not part of the text (RFC 2047 §6.2)
      if (!(lastWasWord && between.isBlank())) {
        out.append(between);
      }
      String charsetName = value.substring(start + 2, q1);
      int star = charsetName.indexOf('*'); // RFC 2231 language suffix
      if (star >= 0) {
        charsetName = charsetName.substring(0, star);
      }
      char encoding = Character.toUpperCase(value.charAt(q1 + 1));
      String text = value.substring(q2 + 1, end);
      String decoded = decodeWord(charsetName, encoding, text);
      if (decoded == null) {
        out.append(value, start, end + 2);
      } else {
        out.append(decoded);
      }
      lastWasWord = decoded != null;
      i = end + 2;
    }
    return out.toString();
  }

  private static String decodeWord(String charsetName, char encoding, String text) {
    Charset charset;
    try {
      charset = Charset.forName(charsetName);
    } catch (RuntimeException e) {
      charset = StandardCharsets.UTF_8;
    }
    byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
    byte[] bytes;
    if (encoding == 'B') {
      Slice s = TransferDecoding.base64(ascii, 0, ascii.length);
      bytes = java.util.Arrays.copyOf(s.bytes(), s.length());
    } else if (encoding == 'Q') {
      ByteArrayOutputStream b = new ByteArrayOutputStream(ascii.length);
      for (int i = 0; i < ascii.length; i++) {
        byte c = ascii[i];
        if (c == '_') {
          b.write(' ');
        } else if (c == '=' && i + 2 < ascii.length) {
          int hi = Character.digit(ascii[i + 1], 16);
          int lo = Character.digit(ascii[i + 2], 16);
          if (hi >= 0 && lo >= 0) {
            b.write((hi << 4) | lo);
            i += 2;
          } else {
            b.write(c);
          }
        } else {
          b.write(c);
        }
      }
      bytes = b.toByteArray();
    } else {
      return null;
    }
    return new String(bytes, charset);
  }
}

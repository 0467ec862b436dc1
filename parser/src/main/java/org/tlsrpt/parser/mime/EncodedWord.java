package org.tlsrpt.parser.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * One RFC 2047 encoded word ({@code =?charset?B|Q?text?=}): its charset, its decoded bytes, and
 * where it ends in the header value.
 */
record EncodedWord(Charset charset, byte[] bytes, int end) {
  /** The encoded word starting at {@code start}, or null when there is none there. */
  static EncodedWord at(String value, int start) {
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
    return new EncodedWord(Charsets.named(charsetName), bytes, end + 2);
  }
}

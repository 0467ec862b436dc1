package org.tlsrpt.parser.mime;

import java.util.Arrays;

/**
 * Content-Transfer-Encoding decoders (RFC 2045 §6), lenient as real mail needs: base64 skips every
 * byte outside its alphabet (line breaks, stray spaces) and tolerates missing padding;
 * quoted-printable keeps malformed escapes as they are.
 */
final class TransferDecoding {
  private TransferDecoding() {}

  private static final byte[] BASE64 = new byte[256];

  static {
    Arrays.fill(BASE64, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      BASE64[alphabet.charAt(i)] = (byte) i;
    }
  }

  /** Decodes base64 in b[from, to), skipping what is not in the alphabet; '=' ends a quantum. */
  static Slice base64(byte[] b, int from, int to) {
    byte[] out = new byte[(to - from) / 4 * 3 + 3];
    int o = 0;
    int acc = 0;
    int bits = 0;
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xff;
      if (c == '=') {
        // padding ends a quantum; some senders pad every chunk, so carry on after it
        acc = 0;
        bits = 0;
        continue;
      }
      int v = BASE64[c];
      if (v < 0) {
        continue;
      }
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (byte) (acc >> bits);
      }
    }
    return new Slice(out, 0, o);
  }

  /** Decodes quoted-printable in b[from, to). */
  static Slice quotedPrintable(byte[] b, int from, int to) {
    byte[] out = new byte[to - from];
    int o = 0;
    int i = from;
    while (i < to) {
      byte c = b[i];
      if (c != '=') {
        out[o++] = c;
        i++;
        continue;
      }
      // soft line break: '=' then optional white space then CRLF or LF
      int j = i + 1;
      while (j < to && (b[j] == ' ' || b[j] == '\t')) {
        j++;
      }
      if (j < to && b[j] == '\n') {
        i = j + 1;
        continue;
      }
      if (j + 1 < to && b[j] == '\r' && b[j + 1] == '\n') {
        i = j + 2;
        continue;
      }
      if (j == to) {
        i = to;
        continue;
      }
      if (i + 2 < to) {
        int hi = Hex.digit(b[i + 1]);
        int lo = Hex.digit(b[i + 2]);
        if (hi >= 0 && lo >= 0) {
          out[o++] = (byte) ((hi << 4) | lo);
          i += 3;
          continue;
        }
      }
      out[o++] = c;
      i++;
    }
    return new Slice(out, 0, o);
  }
}

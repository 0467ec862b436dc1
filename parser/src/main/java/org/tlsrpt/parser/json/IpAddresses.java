package org.tlsrpt.parser.json;

/**
 * Canonical text for IP address literals, without DNS: dotted-quad IPv4, and IPv6 in the RFC 5952
 * form (lower case, no leading zeros, the longest run of zero groups as {@code ::}, an IPv4-mapped
 * tail as a dotted quad).
 */
final class IpAddresses {
  private IpAddresses() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The canonical form of {@code text}, or {@code null} when it is not an IP address literal. */
  static String canonical(String text) {
    String s = text.trim();
    if (s.indexOf(':') >= 0) {
      int[] groups = parseV6(s);
      if (groups == null) {
        return null;
      }
      String canonical = formatV6(groups);
      return canonical.equals(s) ? s : canonical;
    }
    // a dotted quad without leading zeros is already canonical
    return parseV4(s, 0, s.length()) < 0 ? null : s;
  }

  /** Parses a dotted quad in s[from, to) into 32 bits, or returns -1. Leading zeros are refused. */
  private static long parseV4(String s, int from, int to) {
    long value = 0;
    int octets = 0;
    int i = from;
    while (i <= to && octets < 4) {
      int start = i;
      int octet = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
        octet = octet * 10 + (s.charAt(i) - '0');
        i++;
      }
      int len = i - start;
      if (len == 0 || octet > 255 || (len > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | octet;
      octets++;
      if (octets < 4) {
        if (i >= to || s.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return octets == 4 && i == to ? value : -1;
  }

  private static String formatV4(long v) {
    return ((v >>> 24) & 0xff)
        + "."
        + ((v >>> 16) & 0xff)
        + "."
        + ((v >>> 8) & 0xff)
        + "."
        + (v & 0xff);
  }

  /** Parses IPv6 text into eight 16-bit groups, or returns null. */
  private static int[] parseV6(String s) {
    int n = s.length();
    if (n < 2 || n > 45) {
      return null;
    }
    int[] head = new int[8];
    int[] tail = new int[8];
    int headCount = 0;
    int tailCount = 0;
    boolean compressed = false;
    int i = 0;
    if (s.startsWith("::")) {
      compressed = true;
      i = 2;
      if (i == n) {
        return new int[8];
      }
    } else if (s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      int start = i;
      int group = 0;
      while (i < n && org.tlsrpt.parser.mime.Hex.digit(s.charAt(i)) >= 0 && i - start < 4) {
        group = (group << 4) | org.tlsrpt.parser.mime.Hex.digit(s.charAt(i));
        i++;
      }
      if (i < n && s.charAt(i) == '.') {
        // an IPv4 tail takes the last two groups
        long v4 = parseV4(s, start, n);
        if (v4 < 0 || (compressed ? headCount + tailCount : headCount) > 6) {
          return null;
        }
        int hi = (int) (v4 >>> 16);
        int lo = (int) (v4 & 0xffff);
        if (compressed) {
          tail[tailCount++] = hi;
          tail[tailCount++] = lo;
        } else {
          head[headCount++] = hi;
          head[headCount++] = lo;
        }
        i = n;
        break;
      }
      if (i == start) {
        return null;
      }
      if (compressed) {
        if (tailCount == 8) {
          return null;
        }
        tail[tailCount++] = group;
      } else {
        if (headCount == 8) {
          return null;
        }
        head[headCount++] = group;
      }
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (compressed) {
          return null;
        }
        compressed = true;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null;
      }
    }
    int total = headCount + tailCount;
    if (compressed ? total > 7 : total != 8) {
      return null;
    }
    int[] groups = new int[8];
    System.arraycopy(head, 0, groups, 0, headCount);
    System.arraycopy(tail, 0, groups, 8 - tailCount, tailCount);
    return groups;
  }

  private static String formatV6(int[] g) {
    boolean v4Mapped =
        g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
    if (v4Mapped) {
      long v4 = ((long) g[6] << 16) | g[7];
      return "::ffff:" + formatV4(v4);
    }
    int bestStart = -1;
    int bestLen = 1; // RFC 5952 §4.2.2: a single zero group is not compressed
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    char[] out = new char[39];
    int o = 0;
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out[o++] = ':';
        out[o++] = ':';
        i += bestLen - 1;
        continue;
      }
      if (o > 0 && out[o - 1] != ':') {
        out[o++] = ':';
      }
      int v = g[i];
      boolean started = false;
      for (int shift = 12; shift >= 0; shift -= 4) {
        int d = (v >>> shift) & 0xf;
        if (d != 0 || started || shift == 0) {
          out[o++] = HEX[d];
          started = true;
        }
      }
    }
    return new String(out, 0, o);
  }
}

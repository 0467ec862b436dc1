package org.tlsrpt.parser.mime;

import java.nio.charset.StandardCharsets;

/**
 * The header fields of one MIME entity that the walker needs, read from raw bytes (RFC 5322 §2.2,
 * CRLF or bare LF). Only the fields below are decoded into strings; the others are skipped without
 * allocation. The first occurrence of a field wins.
 */
final class HeaderBlock {
  static final int CONTENT_TYPE = 0;
  static final int CONTENT_TRANSFER_ENCODING = 1;
  static final int CONTENT_DISPOSITION = 2;
  static final int TLS_REPORT_DOMAIN = 3;
  static final int TLS_REPORT_SUBMITTER = 4;
  static final int SUBJECT = 5;
  static final int FROM = 6;
  static final int MESSAGE_ID = 7;
  static final int DATE = 8;

  private static final byte[][] NAMES = {
    ascii("content-type"),
    ascii("content-transfer-encoding"),
    ascii("content-disposition"),
    ascii("tls-report-domain"),
    ascii("tls-report-submitter"),
    ascii("subject"),
    ascii("from"),
    ascii("message-id"),
    ascii("date"),
  };

  private final String[] values = new String[NAMES.length];

  /** Where the body starts: after the blank line, or at the end when there is none. */
  final int bodyStart;

  /** Whether the block opened with at least one well-formed header field. */
  final boolean sawField;

  private HeaderBlock(byte[] b, int from, int to) {
    int pos = from;
    int current = -1;
    StringBuilder currentValue = null;
    boolean any = false;
    int body = to;
    // an mbox "From " separator line before the headers is skipped
    if (startsWith(b, pos, to, "From ")) {
      pos = lineEnd(b, pos, to) + 1;
    }
    while (pos < to) {
      int nl = lineEnd(b, pos, to);
      int end = nl > pos && b[nl - 1] == '\r' ? nl - 1 : nl;
      if (nl < to && end == pos) {
        body = nl + 1;
        break;
      }
      if (end == pos && nl >= to) {
        body = to;
        break;
      }
      byte first = b[pos];
      if (first == ' ' || first == '\t') {
        if (currentValue != null) {
          currentValue.append(new String(b, pos, end - pos, StandardCharsets.UTF_8));
        }
        pos = nl + 1;
        continue;
      }
      store(current, currentValue);
      current = -1;
      currentValue = null;
      int colon = indexOf(b, pos, end, (byte) ':');
      if (colon <= pos || !isFieldName(b, pos, colon)) {
        // not a header line: the headers ended without a blank line
        body = pos;
        break;
      }
      any = true;
      int nameEnd = colon;
      while (nameEnd > pos && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
        nameEnd--;
      }
      int field = lookup(b, pos, nameEnd);
      if (field >= 0 && values[field] == null) {
        current = field;
        currentValue =
            new StringBuilder(new String(b, colon + 1, end - colon - 1, StandardCharsets.UTF_8));
      }
      pos = nl + 1;
    }
    store(current, currentValue);
    this.bodyStart = Math.min(body, to);
    this.sawField = any;
  }

  static HeaderBlock read(byte[] b, int from, int to) {
    return new HeaderBlock(b, from, to);
  }

  String get(int field) {
    return values[field];
  }

  private void store(int field, StringBuilder value) {
    if (field >= 0 && values[field] == null) {
      values[field] = value.toString().trim();
    }
  }

  private static int lookup(byte[] b, int from, int to) {
    int len = to - from;
    for (int f = 0; f < NAMES.length; f++) {
      byte[] name = NAMES[f];
      if (name.length == len && equalsIgnoreCase(b, from, name)) {
        return f;
      }
    }
    return -1;
  }

  private static boolean equalsIgnoreCase(byte[] b, int from, byte[] lower) {
    for (int i = 0; i < lower.length; i++) {
      int c = b[from + i];
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (c != lower[i]) {
        return false;
      }
    }
    return true;
  }

  /** RFC 5322 ftext: printable US-ASCII except ':' (a space before the colon is tolerated). */
  private static boolean isFieldName(byte[] b, int from, int colon) {
    for (int i = from; i < colon; i++) {
      int c = b[i];
      if (c < 33 || c > 126) {
        if ((c == ' ' || c == '\t') && i > from) {
          continue;
        }
        return false;
      }
    }
    return true;
  }

  static int lineEnd(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return to;
  }

  private static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  static boolean startsWith(byte[] b, int from, int to, String prefix) {
    if (to - from < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (b[from + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}

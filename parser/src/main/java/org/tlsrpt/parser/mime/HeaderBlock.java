package org.tlsrpt.parser.mime;

import java.nio.charset.StandardCharsets;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.RejectCode;

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

  /** No header tlsrpt reads (Content-Type, Subject...) is legitimately longer than this. */
  static final int MAX_FIELD_CHARS = 65_536;

  private final String[] values = new String[NAMES.length];

  /** Where the body starts: after the blank line, or at the end when there is none. */
  final int bodyStart;

  private HeaderBlock(byte[] b, int from, int to) {
    int pos = from;
    int current = -1;
    int valueStart = 0;
    int valueEnd = 0;
    StringBuilder folded = null;
    int body = to;
    // an mbox "From " separator line before the headers is skipped
    if (startsWith(b, pos, to, "From ")) {
      pos = lineEnd(b, pos, to) + 1;
    }
    while (pos < to) {
      int nl = lineEnd(b, pos, to);
      int end = nl > pos && b[nl - 1] == '\r' ? nl - 1 : nl;
      if (end == pos) {
        body = nl < to ? nl + 1 : to;
        break;
      }
      byte first = b[pos];
      if (first == ' ' || first == '\t') {
        if (current >= 0) {
          if (folded == null) {
            folded = new StringBuilder(128).append(utf8(b, valueStart, valueEnd));
          }
          if (folded.length() + (end - pos) > MAX_FIELD_CHARS) {
            throw new InputRejectedException(
                RejectCode.SIZE_LIMIT,
                "a header field is longer than " + MAX_FIELD_CHARS + " characters");
          }
          folded.append(utf8(b, pos, end));
        }
        pos = nl + 1;
        continue;
      }
      store(current, b, valueStart, valueEnd, folded);
      current = -1;
      folded = null;
      int colon = indexOf(b, pos, end, (byte) ':');
      if (colon <= pos || !isFieldName(b, pos, colon)) {
        // not a header line: the headers ended without a blank line
        body = pos;
        break;
      }
      int nameEnd = colon;
      while (nameEnd > pos && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
        nameEnd--;
      }
      int field = lookup(b, pos, nameEnd);
      if (field >= 0 && values[field] == null) {
        current = field;
        valueStart = colon + 1;
        valueEnd = end;
      }
      pos = nl + 1;
    }
    store(current, b, valueStart, valueEnd, folded);
    this.bodyStart = Math.min(body, to);
  }

  static HeaderBlock read(byte[] b, int from, int to) {
    return new HeaderBlock(b, from, to);
  }

  String get(int field) {
    return values[field];
  }

  private void store(int field, byte[] b, int start, int end, StringBuilder folded) {
    if (field < 0 || values[field] != null) {
      return;
    }
    if (folded != null) {
      String v = folded.toString().trim();
      values[field] = v.isEmpty() ? null : v;
      return;
    }
    while (start < end && (b[start] == ' ' || b[start] == '\t')) {
      start++;
    }
    if (end - start > MAX_FIELD_CHARS) {
      throw new InputRejectedException(
          RejectCode.SIZE_LIMIT,
          "a header field is longer than " + MAX_FIELD_CHARS + " characters");
    }
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
      end--;
    }
    values[field] = start == end ? null : utf8(b, start, end);
  }

  private static String utf8(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
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
    return Bytes.indexOf(b, from, to, (byte) '\n');
  }

  private static int indexOf(byte[] b, int from, int to, byte c) {
    int i = Bytes.indexOf(b, from, to, c);
    return i == to ? -1 : i;
  }

  /** Whether b[from..] opens with an mbox "From " line or a header field ("Name: value"). */
  static boolean startsLikeHeaders(byte[] b, int from, int to) {
    if (startsWith(b, from, to, "From ")) {
      return true;
    }
    int end = lineEnd(b, from, Math.min(to, from + 1000));
    int colon = indexOf(b, from, end, (byte) ':');
    return colon > from && isFieldName(b, from, colon);
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

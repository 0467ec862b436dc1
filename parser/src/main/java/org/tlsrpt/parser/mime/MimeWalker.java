package org.tlsrpt.parser.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.ParserLimits;
import org.tlsrpt.parser.rules.RejectCode;

/**
 * Finds the report parts of an RFC 5322 message (RFC 8460 §5.3) by walking its MIME tree on the raw
 * bytes: nested multiparts and forwarded {@code message/rfc822} messages, up to {@link
 * ParserLimits#maxMimeDepth()}. A part is a report part by its media type or its file name; its
 * content is then identified by magic bytes downstream, never by the Subject. A {@code
 * multipart/report} whose {@code report-type} is not {@code tlsrpt} (a bounce, a DMARC feedback
 * report) holds no report parts.
 *
 * <p>This is deliberately leaner than Jakarta Mail's MimeMessage: it decodes only the headers it
 * needs and uses unencoded bodies in place. Thread-safe.
 */
public final class MimeWalker {

  private static final Set<String> REPORT_TYPES =
      Set.of(
          "application/tlsrpt+gzip",
          "application/tlsrpt+json",
          "application/tlsrpt",
          "application/tlsrpt+x-gzip",
          "application/tlsrpt+zip",
          "application/gzip",
          "application/x-gzip",
          "application/zip",
          "application/x-zip",
          "application/x-zip-compressed",
          "application/json");

  private final ParserLimits limits;

  public MimeWalker(ParserLimits limits) {
    this.limits = limits;
  }

  /** Whether the bytes begin like a message: a header field, or an mbox "From " line. */
  public static boolean looksLikeMessage(byte[] b, int from, int to) {
    return HeaderBlock.startsLikeHeaders(b, from, to);
  }

  /** The report parts of the message in b[from, to), in document order. */
  public List<ReportPart> reportParts(byte[] b, int from, int to) {
    List<ReportPart> out = new ArrayList<>(1);
    int[] parts = {0};
    walk(b, from, to, 0, null, true, out, parts);
    return out;
  }

  private void walk(
      byte[] b,
      int from,
      int to,
      int depth,
      MessageHeaders message,
      boolean isMessage,
      List<ReportPart> out,
      int[] partCount) {
    if (depth > limits.maxMimeDepth()) {
      throw new InputRejectedException(
          RejectCode.DEPTH_LIMIT,
          "MIME nesting deeper than " + limits.maxMimeDepth() + " levels (limit maxMimeDepth)");
    }
    if (++partCount[0] > limits.maxMimeParts()) {
      throw new InputRejectedException(
          RejectCode.SIZE_LIMIT,
          "message has more than " + limits.maxMimeParts() + " MIME parts (limit maxMimeParts)");
    }
    HeaderBlock h = HeaderBlock.read(b, from, to);
    if (isMessage) {
      message =
          new MessageHeaders(
              h.get(HeaderBlock.TLS_REPORT_DOMAIN),
              h.get(HeaderBlock.TLS_REPORT_SUBMITTER),
              decodeWords(h.get(HeaderBlock.SUBJECT)),
              decodeWords(h.get(HeaderBlock.FROM)),
              h.get(HeaderBlock.MESSAGE_ID),
              h.get(HeaderBlock.DATE));
    }
    HeaderValue type = HeaderValue.parse(h.get(HeaderBlock.CONTENT_TYPE));
    String mediaType = type.value().isEmpty() ? "text/plain" : type.value();
    if (mediaType.startsWith("multipart/")) {
      if (mediaType.equals("multipart/report")) {
        String reportType = type.param("report-type");
        if (reportType != null && !reportType.trim().equalsIgnoreCase("tlsrpt")) {
          return;
        }
      }
      String boundary = type.param("boundary");
      if (boundary == null || boundary.isEmpty()) {
        return;
      }
      int budget = limits.maxMimeParts() - partCount[0];
      for (int[] part : splitParts(b, h.bodyStart, to, boundary, budget)) {
        walk(b, part[0], part[1], depth + 1, message, false, out, partCount);
      }
      return;
    }
    String encoding = h.get(HeaderBlock.CONTENT_TRANSFER_ENCODING);
    if (mediaType.equals("message/rfc822") || mediaType.equals("message/global")) {
      Slice inner = decode(b, h.bodyStart, to, encoding);
      walk(
          inner.bytes(),
          inner.offset(),
          inner.offset() + inner.length(),
          depth + 1,
          null,
          true,
          out,
          partCount);
      return;
    }
    HeaderValue disposition = HeaderValue.parse(h.get(HeaderBlock.CONTENT_DISPOSITION));
    String filename = nonEmpty(disposition.param("filename"));
    if (filename == null) {
      filename = nonEmpty(type.param("name"));
    }
    if (filename != null) {
      filename = nonEmpty(decodeWords(filename).trim());
    }
    if (REPORT_TYPES.contains(mediaType) || hasReportExtension(filename)) {
      out.add(new ReportPart(decode(b, h.bodyStart, to, encoding), mediaType, filename, message));
    }
  }

  private static boolean hasReportExtension(String filename) {
    if (filename == null) {
      return false;
    }
    return endsWithIgnoreCase(filename, ".json")
        || endsWithIgnoreCase(filename, ".gz")
        || endsWithIgnoreCase(filename, ".zip");
  }

  private static boolean endsWithIgnoreCase(String s, String suffix) {
    return s.regionMatches(true, s.length() - suffix.length(), suffix, 0, suffix.length());
  }

  private static String nonEmpty(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String decodeWords(String value) {
    return value == null ? null : EncodedWords.decode(value);
  }

  private static Slice decode(byte[] b, int from, int to, String encoding) {
    if (encoding != null) {
      String e = encoding.trim();
      if (e.equalsIgnoreCase("base64")) {
        return TransferDecoding.base64(b, from, to);
      }
      if (e.equalsIgnoreCase("quoted-printable")) {
        return TransferDecoding.quotedPrintable(b, from, to);
      }
    }
    return new Slice(b, from, to - from);
  }

  /**
   * The body ranges of a multipart (RFC 2046 §5.1.1). The line break before a delimiter belongs to
   * the delimiter. A missing close delimiter ends the last part at the end of the input.
   */
  static List<int[]> splitParts(byte[] b, int from, int to, String boundary) {
    return splitParts(b, from, to, boundary, Integer.MAX_VALUE);
  }

  /** As above, refusing more than {@code maxParts} parts before listing them all. */
  static List<int[]> splitParts(byte[] b, int from, int to, String boundary, int maxParts) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<int[]> parts = new ArrayList<>(3);
    int partStart = -1;
    int pos = from;
    while (pos < to) {
      int nl = HeaderBlock.lineEnd(b, pos, to);
      if (nl - pos >= delimiter.length && b[pos] == '-' && regionEquals(b, pos, delimiter)) {
        int after = pos + delimiter.length;
        boolean close = after + 1 < to && b[after] == '-' && b[after + 1] == '-';
        if (close || onlyWhitespace(b, after, nl)) {
          if (partStart >= 0) {
            if (parts.size() >= maxParts) {
              throw new InputRejectedException(
                  RejectCode.SIZE_LIMIT, "message has too many MIME parts (limit maxMimeParts)");
            }
            parts.add(new int[] {partStart, lineBreakStart(b, partStart, pos)});
          }
          if (close) {
            return parts;
          }
          partStart = Math.min(nl + 1, to);
        }
      }
      pos = nl + 1;
    }
    if (partStart >= 0 && partStart < to) {
      parts.add(new int[] {partStart, to});
    }
    return parts;
  }

  /** Where the line break that precedes {@code delimiterStart} begins. */
  private static int lineBreakStart(byte[] b, int partStart, int delimiterStart) {
    int end = delimiterStart;
    if (end > partStart && b[end - 1] == '\n') {
      end--;
      if (end > partStart && b[end - 1] == '\r') {
        end--;
      }
    }
    return end;
  }

  private static boolean regionEquals(byte[] b, int from, byte[] what) {
    for (int i = 0; i < what.length; i++) {
      if (b[from + i] != what[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean onlyWhitespace(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}

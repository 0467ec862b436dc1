package org.tlsrpt.parser;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tlsrpt.parser.compress.BoundedGunzipStream;
import org.tlsrpt.parser.compress.DecompressionBudget;
import org.tlsrpt.parser.compress.ZipEntries;
import org.tlsrpt.parser.json.TlsRptJsonReader;
import org.tlsrpt.parser.model.TlsReport;
import org.tlsrpt.parser.model.TransportMetadata;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.ParserLimits;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.parser.rules.Warning;

/**
 * Turns one report body (plain JSON, gzip or zip, whatever it was labelled) into reports. The
 * content is identified by its first bytes; a label that disagrees becomes a warning. Exactly one
 * level of compression is read: compressed data inside compressed data is refused.
 */
final class ReportBodyDecoder {

  private static final Set<String> GZIP_LABELS =
      Set.of(
          "application/tlsrpt+gzip",
          "application/tlsrpt+x-gzip",
          "application/gzip",
          "application/x-gzip");
  private static final Set<String> JSON_LABELS =
      Set.of("application/tlsrpt+json", "application/tlsrpt", "application/json");
  private static final Set<String> ZIP_LABELS =
      Set.of(
          "application/zip",
          "application/x-zip",
          "application/x-zip-compressed",
          "application/tlsrpt+zip");

  private static final int SNIFF = 64;

  private final ParserLimits limits;
  private final TlsRptJsonReader json;

  ReportBodyDecoder(ParserLimits limits, TlsRptJsonReader json) {
    this.limits = limits;
    this.json = json;
  }

  /**
   * Decodes b[off, off+len).
   *
   * @param label the declared media type, lower-case, or null
   * @param where how to name the body in messages, e.g. "attachment 'x.json.gz'"
   */
  List<ParsedReport> decode(
      byte[] b,
      int off,
      int len,
      String label,
      String where,
      TransportMetadata transport,
      DecompressionBudget budget) {
    List<Warning> warnings = new CappedWarnings();
    int start = skipBomAndWhitespace(b, off, off + len);
    if (start == off + len) {
      throw new InputRejectedException(RejectCode.NOT_A_REPORT, where + " is empty");
    }
    if (BoundedGunzipStream.isGzip(b, off, len)) {
      if (label != null && (JSON_LABELS.contains(label) || ZIP_LABELS.contains(label))) {
        warnings.add(mislabelled(where, label, "gzip data"));
      }
      try (BoundedGunzipStream gz = new BoundedGunzipStream(b, off, len, budget, warnings)) {
        return List.of(decompressed(gz, where, warnings, transport));
      }
    }
    if (ZipEntries.isZip(b, off, len)) {
      if (label != null && (JSON_LABELS.contains(label) || GZIP_LABELS.contains(label))) {
        warnings.add(mislabelled(where, label, "a zip archive"));
      }
      List<ParsedReport> out = new ArrayList<>(1);
      int entries =
          ZipEntries.read(
              b,
              off,
              len,
              limits.maxZipEntries(),
              budget,
              (name, content) ->
                  out.add(
                      decompressed(
                          content,
                          where + " zip entry '" + name + "'",
                          CappedWarnings.copyOf(warnings),
                          transport)));
      if (entries == 0) {
        throw new InputRejectedException(
            RejectCode.NOT_A_REPORT, where + " is an empty zip archive");
      }
      return out;
    }
    char first = (char) (b[start] & 0xff);
    if (first == '{' || first == '[') {
      if (label != null && (GZIP_LABELS.contains(label) || ZIP_LABELS.contains(label))) {
        warnings.add(mislabelled(where, label, "plain JSON"));
      }
      TlsReport report = json.read(b, off, len, warnings);
      return List.of(new ParsedReport(report, transport, warnings));
    }
    throw unrecognised(b, start, off + len, label, where);
  }

  private ParsedReport decompressed(
      InputStream content, String where, List<Warning> warnings, TransportMetadata transport) {
    try {
      PushbackInputStream in = new PushbackInputStream(content, SNIFF);
      byte[] head = new byte[SNIFF];
      int n = in.readNBytes(head, 0, SNIFF);
      in.unread(head, 0, n);
      if (BoundedGunzipStream.isGzip(head, 0, n) || ZipEntries.isZip(head, 0, n)) {
        throw new InputRejectedException(
            RejectCode.DEPTH_LIMIT,
            where + " holds compressed data inside compressed data; only one level is read");
      }
      int start = skipBomAndWhitespace(head, 0, n);
      if (start == n && n < SNIFF) {
        throw new InputRejectedException(
            RejectCode.NOT_A_REPORT, where + " decompresses to nothing");
      }
      if (start < n && head[start] == '<') {
        throw xml(where);
      }
      return new ParsedReport(json.read(in, warnings), transport, warnings);
    } catch (IOException e) {
      throw new InputRejectedException(
          RejectCode.DECOMPRESSION_ERROR, where + " could not be decompressed: " + e.getMessage());
    }
  }

  private static InputRejectedException unrecognised(
      byte[] b, int start, int end, String label, String where) {
    if (b[start] == '<') {
      return xml(where);
    }
    if (label != null && GZIP_LABELS.contains(label)) {
      return new InputRejectedException(
          RejectCode.DECOMPRESSION_ERROR,
          where + " is labelled " + label + " but is not gzip data");
    }
    if (label != null && ZIP_LABELS.contains(label)) {
      return new InputRejectedException(
          RejectCode.DECOMPRESSION_ERROR,
          where + " is labelled " + label + " but is not a zip archive");
    }
    return new InputRejectedException(
        RejectCode.INVALID_JSON,
        where + " is neither JSON nor gzip nor zip (starts with " + hex(b, start, end) + ")");
  }

  private static InputRejectedException xml(String where) {
    return new InputRejectedException(
        RejectCode.NOT_A_REPORT,
        where
            + " is XML (a DMARC aggregate report sent to the TLS-RPT address?), not a TLS report");
  }

  private static Warning mislabelled(String where, String label, String actual) {
    return new Warning(
        "mislabelled_content", where + " is labelled " + label + " but holds " + actual);
  }

  static int skipBomAndWhitespace(byte[] b, int from, int to) {
    int i = from;
    if (to - i >= 3
        && (b[i] & 0xff) == 0xef
        && (b[i + 1] & 0xff) == 0xbb
        && (b[i + 2] & 0xff) == 0xbf) {
      i += 3;
    }
    while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    return i;
  }

  private static String hex(byte[] b, int from, int to) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < Math.min(to, from + 4); i++) {
      s.append(String.format("%02x", b[i] & 0xff));
    }
    return "0x" + s;
  }
}

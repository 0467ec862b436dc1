package org.tlsrpt.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tlsrpt.parser.compress.BoundedGunzipStream;
import org.tlsrpt.parser.compress.DecompressionBudget;
import org.tlsrpt.parser.compress.ZipEntries;
import org.tlsrpt.parser.json.TlsRptJsonReader;
import org.tlsrpt.parser.mime.MessageHeaders;
import org.tlsrpt.parser.mime.MimeWalker;
import org.tlsrpt.parser.mime.ReportPart;
import org.tlsrpt.parser.model.TransportMetadata;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.ParserLimits;
import org.tlsrpt.parser.rules.RejectCode;

/**
 * The one entry point of the parser: raw bytes in, a {@link ParseOutcome} out. The kind of input is
 * found from its content, never from a file name: a JSON body, gzip or zip data, or an RFC 5322
 * message whose report parts are then unwrapped. Any byte sequence yields a value; nothing but a
 * bug escapes as an exception.
 *
 * <p>Thread-safe and cheap to share.
 */
public final class ReportParser {
  private final ParserLimits limits;
  private final MimeWalker mime;
  private final ReportBodyDecoder bodies;

  public ReportParser(ParserLimits limits) {
    this.limits = limits;
    this.mime = new MimeWalker(limits);
    this.bodies = new ReportBodyDecoder(limits, new TlsRptJsonReader(limits));
  }

  public ReportParser() {
    this(ParserLimits.DEFAULTS);
  }

  public ParserLimits limits() {
    return limits;
  }

  /** Parses an input of any supported kind: a message, a JSON body, gzip or zip. */
  public ParseOutcome parse(byte[] raw) {
    return run(raw, null, false);
  }

  /**
   * Parses an HTTPS POST body (RFC 8460 §5.4). The Content-Type is a hint: a body that is not what
   * it says is still read, with a warning.
   */
  public ParseOutcome parseHttpBody(byte[] body, String contentType) {
    String label = contentType == null ? null : mediaType(contentType);
    return run(body, label, true);
  }

  private ParseOutcome run(byte[] raw, String label, boolean bodyOnly) {
    RawInput input = new RawInput(raw);
    try {
      return new ParseOutcome.Parsed(decode(raw, label, bodyOnly), input);
    } catch (InputRejectedException e) {
      return new ParseOutcome.Rejected(e.code(), e.getMessage(), input);
    }
  }

  private List<ParsedReport> decode(byte[] raw, String label, boolean bodyOnly) {
    if (raw.length > limits.maxInputBytes()) {
      throw new InputRejectedException(
          RejectCode.SIZE_LIMIT,
          "input is "
              + raw.length
              + " bytes, over the limit of "
              + limits.maxInputBytes()
              + " (maxInputBytes)");
    }
    int start = ReportBodyDecoder.skipBomAndWhitespace(raw, 0, raw.length);
    if (start == raw.length) {
      throw new InputRejectedException(RejectCode.NOT_A_REPORT, "input is empty");
    }
    byte first = raw[start];
    boolean body =
        bodyOnly
            || first == '{'
            || first == '['
            || BoundedGunzipStream.isGzip(raw, 0, raw.length)
            || ZipEntries.isZip(raw, 0, raw.length);
    if (body) {
      return bodies.decode(
          raw,
          0,
          raw.length,
          label,
          bodyOnly ? "request body" : "report body",
          null,
          new DecompressionBudget(limits.maxDecompressedBytes()));
    }
    int from = hasBom(raw) ? 3 : 0;
    if (!MimeWalker.looksLikeMessage(raw, from, raw.length)) {
      throw new InputRejectedException(
          RejectCode.NOT_A_REPORT,
          "input is neither an e-mail message nor a JSON, gzip or zip report body");
    }
    List<ReportPart> parts = mime.reportParts(raw, from, raw.length);
    if (parts.isEmpty()) {
      throw new InputRejectedException(
          RejectCode.NOT_A_REPORT,
          "message has no TLS report part (no application/tlsrpt+gzip, application/tlsrpt+json or"
              + " .json/.gz/.zip attachment)");
    }
    List<ParsedReport> out = new ArrayList<>(parts.size());
    DecompressionBudget budget = new DecompressionBudget(limits.maxDecompressedBytes());
    for (ReportPart part : parts) {
      String where =
          part.filename() == null
              ? part.contentType() + " part"
              : "attachment '" + part.filename() + "'";
      out.addAll(
          bodies.decode(
              part.body().bytes(),
              part.body().offset(),
              part.body().length(),
              part.contentType(),
              where,
              transport(part),
              budget));
    }
    return out;
  }

  private static TransportMetadata transport(ReportPart part) {
    MessageHeaders m = part.message();
    return new TransportMetadata(
        m.tlsReportDomain(),
        m.tlsReportSubmitter(),
        subjectReportId(m.subject()),
        part.filename(),
        part.contentType(),
        m.from(),
        m.messageId(),
        m.date());
  }

  /**
   * The Report-ID from an RFC 8460 §5.3 Subject. Informational only, so read loosely: Microsoft
   * sends it without angle brackets.
   */
  static String subjectReportId(String subject) {
    if (subject == null) {
      return null;
    }
    // searched without changing case: lower-casing can change a string's length (U+0130)
    int i = -1;
    for (int k = 0; k + 10 <= subject.length(); k++) {
      if (subject.regionMatches(true, k, "report-id:", 0, 10)) {
        i = k;
        break;
      }
    }
    if (i < 0) {
      return null;
    }
    String rest = subject.substring(i + "report-id:".length()).trim();
    if (rest.startsWith("<")) {
      int close = rest.indexOf('>');
      rest = close < 0 ? rest.substring(1) : rest.substring(1, close);
    } else {
      int space = rest.indexOf(' ');
      rest = space < 0 ? rest : rest.substring(0, space);
    }
    rest = rest.trim();
    return rest.isEmpty() ? null : rest;
  }

  private static boolean hasBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
  }

  private static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }
}

package org.tlsrpt.parser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds test inputs: compressed bodies and report e-mails in the shapes real senders use. */
final class Inputs {
  private Inputs() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] zip(String name, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(data);
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String base64Lines(byte[] data) {
    return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(data);
  }

  /** Quoted-printable with soft line breaks every 70 characters, '=' and non-ASCII escaped. */
  static String quotedPrintable(byte[] data) {
    StringBuilder out = new StringBuilder();
    int col = 0;
    for (byte x : data) {
      int c = x & 0xff;
      String piece =
          (c == '=' || c > 126 || (c < 32 && c != '\n' && c != '\r'))
              ? String.format("=%02X", c)
              : String.valueOf((char) c);
      if (c == '\n') {
        out.append("\r\n");
        col = 0;
        continue;
      }
      if (c == '\r') {
        continue;
      }
      if (col + piece.length() > 72) {
        out.append("=\r\n");
        col = 0;
      }
      out.append(piece);
      col += piece.length();
    }
    return out.toString();
  }

  /** The headers of a report e-mail as RFC 8460 §5.3 shows them. */
  static String reportHeaders(String contentType) {
    return "From: tlsrpt@mail.sender.example.com\r\n"
        + "Date: Fri, 09 May 2017 16:54:30 -0800\r\n"
        + "To: mts-sts-tlsrpt@example.net\r\n"
        + "Subject: Report Domain: example.net\r\n"
        + "    Submitter: mail.sender.example.com\r\n"
        + "    Report-ID: <735ff.e317+bf22029@example.net>\r\n"
        + "TLS-Report-Domain: example.net\r\n"
        + "TLS-Report-Submitter: mail.sender.example.com\r\n"
        + "Message-ID: <report-1@mail.sender.example.com>\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: "
        + contentType
        + "\r\n";
  }

  /**
   * A multipart/report e-mail with a text part and one report part.
   *
   * @param partHeaders the report part's header lines, each ending in CRLF
   * @param partBody the report part's body as it travels (already transfer-encoded)
   */
  static byte[] reportMail(String partHeaders, String partBody) {
    String b = "----=_Part_8460";
    return utf8(
        reportHeaders("multipart/report; report-type=\"tlsrpt\";\r\n    boundary=\"" + b + "\"")
            + "\r\n"
            + "This is a multipart message in MIME format.\r\n"
            + "\r\n--"
            + b
            + "\r\n"
            + "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
            + "\r\n"
            + "This is an aggregate TLS report from mail.sender.example.com\r\n"
            + "\r\n--"
            + b
            + "\r\n"
            + partHeaders
            + "\r\n"
            + partBody
            + "\r\n--"
            + b
            + "--\r\n");
  }

  /** A gzip report attachment in base64, as Google and Microsoft send it. */
  static byte[] gzipAttachmentMail(byte[] json) {
    return reportMail(
        "Content-Type: application/tlsrpt+gzip\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment;\r\n"
            + "    filename=\"mail.sender.example.com!example.net!1470013207!1470186007!001.json.gz\"\r\n",
        base64Lines(gzip(json)));
  }

  /** Wraps a whole message as a message/rfc822 attachment of a forward. */
  static byte[] forwarded(byte[] inner) {
    String b = "fwd-boundary-" + inner.length;
    return utf8(
        "From: postmaster@example.net\r\n"
            + "To: reports@example.net\r\n"
            + "Subject: Fwd: Report Domain: example.net\r\n"
            + "Message-ID: <fwd-1@example.net>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\""
            + b
            + "\"\r\n\r\n--"
            + b
            + "\r\nContent-Type: text/plain\r\n\r\nSee the attached report.\r\n--"
            + b
            + "\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
            + new String(inner, StandardCharsets.UTF_8)
            + "\r\n--"
            + b
            + "--\r\n");
  }
}

package org.tlsrpt.ingest.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Report e-mails from the public samples beside the checkout (../shared/samples/public, see its
 * PROVENANCE.md), with CRLF line ends as they travel over SMTP.
 */
final class ReportMails {
  private ReportMails() {}

  /**
   * The RFC 8460 §5.3 example (stalwartlabs/mail-auth rpt01.eml, Apache-2.0 OR MIT): a
   * multipart/report with the gzip JSON report attached, submitted by mail.sender.example.com; the
   * report's contact-info is at company-x.example.
   */
  static byte[] rfcExample() {
    return crlf(read("stalwart__rpt01_rfc_example_gzip.eml"));
  }

  /**
   * A real Google report e-mail (domainaware/parsedmarc, Apache-2.0) with Google's own
   * DKIM-Signature by d=google.com, expired since September 2024 and its body since changed by a
   * relay.
   */
  static byte[] googleReport() {
    return crlf(read("parsedmarc__google.com_smtp_tls_report.eml"));
  }

  /** The message with its only occurrence of {@code from} replaced. */
  static byte[] replace(byte[] message, String from, String to) {
    String s = new String(message, StandardCharsets.ISO_8859_1);
    int at = s.indexOf(from);
    if (at < 0 || s.indexOf(from, at + 1) >= 0) {
      throw new IllegalArgumentException("'" + from + "' is not in the message exactly once");
    }
    return (s.substring(0, at) + to + s.substring(at + from.length()))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] crlf(String lfMessage) {
    return lfMessage
        .replace("\r\n", "\n")
        .replace("\n", "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String read(String name) {
    try {
      return Files.readString(
          org.tlsrpt.testkit.RepoLayout.sample(name), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

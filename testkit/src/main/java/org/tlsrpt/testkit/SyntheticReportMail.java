package org.tlsrpt.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;

/**
 * Builds report e-mails shaped like the ones Google and Microsoft send (RFC 8460 §5.3): relay and
 * authentication headers, a DKIM signature, {@code multipart/report; report-type=tlsrpt}, a text
 * part and a base64 gzip attachment with the §5.1 file name. The signatures are random bytes of
 * realistic size; nothing verifies them in a parse benchmark.
 */
public final class SyntheticReportMail {
  private static final DateTimeFormatter RFC5322 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private SyntheticReportMail() {}

  public static byte[] build(
      Random random,
      String submitter,
      String policyDomain,
      String reportId,
      Instant start,
      Instant end,
      byte[] gzip) {
    String boundary = "0000000000" + hex(random, 8);
    String filename =
        submitter
            + "!"
            + policyDomain
            + "!"
            + start.getEpochSecond()
            + "!"
            + end.getEpochSecond()
            + "!001.json.gz";
    String date = RFC5322.format(end.plusSeconds(3600 + random.nextInt(10_000)));
    StringBuilder m = new StringBuilder(6000);
    m.append("Return-Path: <")
        .append(b64(random, 30).replace('/', 'x').replace('+', 'y'))
        .append("@smtp-tls-reporting.bounces.")
        .append(submitter)
        .append(">\r\n");
    m.append("Received: from mail-ot1-f71.")
        .append(submitter)
        .append(" (mail-ot1-f71.")
        .append(submitter)
        .append(" [209.85.210.71])\r\n\tby mx1.")
        .append(policyDomain)
        .append(" (Postfix) with ESMTPS id ")
        .append(hex(random, 6).toUpperCase(Locale.ROOT))
        .append("\r\n\tfor <tls-reports@")
        .append(policyDomain)
        .append(">; ")
        .append(date)
        .append("\r\n");
    m.append("Authentication-Results: mx1.")
        .append(policyDomain)
        .append(";\r\n")
        .append("\tdkim=pass (2048-bit key; unprotected) header.d=")
        .append(submitter)
        .append(" header.i=@")
        .append(submitter)
        .append(" header.a=rsa-sha256 header.s=20230601 header.b=")
        .append(b64(random, 6))
        .append(";\r\n\tspf=pass smtp.mailfrom=")
        .append(submitter)
        .append(";\r\n\tdmarc=pass (p=reject dis=none) header.from=")
        .append(submitter)
        .append("\r\n");
    m.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n        d=")
        .append(submitter)
        .append("; s=20230601; t=")
        .append(end.getEpochSecond() + 4000)
        .append(
            ";\r\n        h=to:from:subject:message-id:tls-report-submitter:tls-report-domain\r\n")
        .append(
            "         :date:mime-version:from:to:cc:subject:date:message-id:reply-to;\r\n        bh=")
        .append(b64(random, 32))
        .append(";\r\n        b=");
    folded(m, b64(random, 256), "         ");
    m.append(
            "X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n        d=1e100.net; s=20230601; t=")
        .append(end.getEpochSecond() + 4000)
        .append(
            ";\r\n        h=to:from:subject:message-id:tls-report-submitter:tls-report-domain\r\n")
        .append("         :date:mime-version:x-gm-message-state:from:to:cc:subject:date\r\n")
        .append("         :message-id:reply-to;\r\n        bh=")
        .append(b64(random, 32))
        .append(";\r\n        b=");
    folded(m, b64(random, 256), "         ");
    m.append("X-Gm-Message-State: ")
        .append(b64(random, 60))
        .append("\r\n\t")
        .append(b64(random, 56))
        .append("\r\n");
    m.append("X-Google-Smtp-Source: ").append(b64(random, 70)).append("\r\n");
    m.append("X-Received: by 2002:a05:6830:25c1:b0:70f:6ff4:7bc5 with SMTP id\r\n ")
        .append(hex(random, 20))
        .append("; ")
        .append(date)
        .append("\r\n");
    m.append("MIME-Version: 1.0\r\n");
    m.append("Date: ").append(date).append("\r\n");
    m.append("TLS-Report-Domain: ").append(policyDomain).append("\r\n");
    m.append("TLS-Report-Submitter: ").append(submitter).append("\r\n");
    m.append("Message-ID: <")
        .append(hex(random, 12))
        .append("tls@")
        .append(submitter)
        .append(">\r\n");
    m.append("Subject: Report Domain: ")
        .append(policyDomain)
        .append(" Submitter: ")
        .append(submitter)
        .append("\r\n Report-ID: <")
        .append(reportId)
        .append("@")
        .append(submitter)
        .append(">\r\n");
    m.append("From: noreply-smtp-tls-reporting@").append(submitter).append("\r\n");
    m.append("To: tls-reports@").append(policyDomain).append("\r\n");
    m.append("Content-Type: multipart/report; boundary=\"")
        .append(boundary)
        .append("\"; report-type=tlsrpt\r\n\r\n");
    m.append("--").append(boundary).append("\r\n");
    m.append("Content-Type: text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes\r\n\r\n");
    m.append("This is an aggregate TLS report from ").append(submitter).append("\r\n\r\n");
    m.append("--").append(boundary).append("\r\n");
    m.append("Content-Type: application/tlsrpt+gzip; \r\n\tname=\"")
        .append(filename)
        .append("\"\r\n");
    m.append("Content-Disposition: attachment; \r\n\tfilename=\"")
        .append(filename)
        .append("\"\r\n");
    m.append("Content-Transfer-Encoding: base64\r\n\r\n");
    String body =
        Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(gzip);
    m.append(body).append("\r\n");
    m.append("--").append(boundary).append("--\r\n");
    return m.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void folded(StringBuilder m, String value, String indent) {
    for (int i = 0; i < value.length(); i += 70) {
      if (i > 0) {
        m.append("\r\n").append(indent);
      }
      m.append(value, i, Math.min(value.length(), i + 70));
    }
    m.append("\r\n");
  }

  private static String b64(Random random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private static String hex(Random random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }
}

package org.tlsrpt.app.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.tlsrpt.app.demo.DemoReports.Input;

/** The demo's inputs that go wrong the way real ones do: rejected with a reason, or quarantined. */
final class BrokenInputs {
  private BrokenInputs() {}

  /** Inputs that go wrong the way real ones do: rejected with a reason, or quarantined. */
  static void add(
      List<Input> inputs, List<BundledSamples.Sample> samples, LocalDate first, Random random) {
    Instant start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
    byte[] google =
        DemoJson.bytes(DemoJson.tree(DemoJson.sampleBytes(samples, "cry-inc__google.json")));
    byte[] gz = DemoJson.gzip(google);
    inputs.add(
        new Input(
            "truncated gzip",
            Arrays.copyOf(gz, gz.length / 2),
            start.plus(Duration.ofDays(5).plusHours(7)),
            null));
    inputs.add(
        new Input(
            "bounce",
            mail(
                    "MAILER-DAEMON@mx.example.com",
                    "Undelivered Mail Returned to Sender",
                    "text/plain",
                    "This is the mail system at host mx.example.com.\r\n\r\nI'm sorry to have to"
                        + " inform you that your message could not be delivered.\r\n")
                .getBytes(StandardCharsets.US_ASCII),
            start.plus(Duration.ofDays(13).plusHours(15)),
            null));
    ObjectNode missing = DemoJson.tree(DemoJson.sampleBytes(samples, "parsedmarc__mail.ru.json"));
    ((ObjectNode) missing.get("policies").get(0).get("summary"))
        .remove("total-failure-session-count");
    inputs.add(
        new Input(
            "missing count",
            DemoJson.bytes(missing),
            start.plus(Duration.ofDays(16).plusHours(3)),
            null));
    ObjectNode backwards = DemoJson.tree(DemoJson.sampleBytes(samples, "cry-inc__microsoft.json"));
    ObjectNode range = (ObjectNode) backwards.get("date-range");
    range.put("start-datetime", first.plusDays(23) + "T00:00:00Z");
    range.put("end-datetime", first.plusDays(22) + "T23:59:59Z");
    inputs.add(
        new Input(
            "end before start",
            DemoJson.bytes(backwards),
            start.plus(Duration.ofDays(24).plusHours(9)),
            null));
    inputs.add(
        new Input(
            "cut JSON",
            Arrays.copyOf(google, google.length / 3),
            start.plus(Duration.ofDays(27).plusHours(20)),
            null));
    // a report e-mail nobody signed: stored, listed, not counted until released
    ObjectNode unsigned = DemoJson.tree(DemoJson.sampleBytes(samples, "parsedmarc__mail.ru.json"));
    unsigned.put("report-id", "demo-unsigned-" + first.plusDays(20));
    ObjectNode r = (ObjectNode) unsigned.get("date-range");
    r.put("start-datetime", first.plusDays(20) + "T00:00:00Z");
    r.put("end-datetime", first.plusDays(21) + "T00:00:00Z");
    String b64 =
        Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(DemoJson.gzip(DemoJson.bytes(unsigned)));
    inputs.add(
        new Input(
            "unsigned report e-mail",
            mail(
                    "tls_support@corp.mail.ru",
                    "Report Domain: example.net Submitter: mail.ru Report-ID: <"
                        + random.nextInt(1_000_000)
                        + "@mail.ru>",
                    "application/tlsrpt+gzip; name=report.json.gz\r\n"
                        + "Content-Transfer-Encoding: base64",
                    b64)
                .getBytes(StandardCharsets.US_ASCII),
            start.plus(Duration.ofDays(21).plusHours(4)),
            "DKIM none: the message has no DKIM-Signature header (demo data)"));
  }

  private static String mail(String from, String subject, String contentType, String body) {
    return "From: "
        + from
        + "\r\nTo: tlsrpt@example.com\r\nSubject: "
        + subject
        + "\r\nMIME-Version: 1.0\r\nContent-Type: "
        + contentType
        + "\r\n\r\n"
        + body
        + "\r\n";
  }
}

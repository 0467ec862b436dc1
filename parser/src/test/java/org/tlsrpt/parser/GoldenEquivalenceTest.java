package org.tlsrpt.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.parser.Inputs.base64Lines;
import static org.tlsrpt.parser.Inputs.gzip;
import static org.tlsrpt.parser.Inputs.reportMail;
import static org.tlsrpt.parser.Inputs.utf8;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tlsrpt.parser.model.TlsReport;
import org.tlsrpt.parser.model.TransportMetadata;

/**
 * The same report in every wrapping real senders and forwarders use yields the same model
 * (Stalwart's golden pairs). The reference is the plain JSON body of the RFC 8460 example (erratum
 * 6241 form).
 */
class GoldenEquivalenceTest {
  private static final byte[] JSON = Samples.read("phi-ag__rfc-errata-6241.json");
  private final ReportParser parser = new ReportParser();

  private static Map<String, byte[]> variants() {
    Map<String, byte[]> v = new TreeMap<>();
    String json = new String(JSON, StandardCharsets.UTF_8);
    v.put("json.gz body", gzip(JSON));
    v.put("zip body", Inputs.zip("report.json", JSON));
    v.put("gzip e-mail attachment, base64", Inputs.gzipAttachmentMail(JSON));
    v.put(
        "inline JSON part, 7bit",
        reportMail(
            "Content-Type: application/tlsrpt+json\r\nContent-Disposition: inline\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n",
            json));
    v.put(
        "JSON part, quoted-printable",
        reportMail(
            "Content-Type: application/tlsrpt+json\r\nContent-Transfer-Encoding: quoted-printable\r\n",
            Inputs.quotedPrintable(JSON)));
    v.put(
        "JSON part, base64",
        reportMail(
            "Content-Type: application/tlsrpt+json; name=\"r.json\"\r\nContent-Transfer-Encoding: base64\r\n",
            base64Lines(JSON)));
    v.put(
        "JSON part, 8bit",
        reportMail(
            "Content-Type: application/tlsrpt+json\r\nContent-Transfer-Encoding: 8bit\r\n", json));
    v.put("forwarded message/rfc822", Inputs.forwarded(Inputs.gzipAttachmentMail(JSON)));
    v.put(
        "bare LF line endings",
        new String(Inputs.gzipAttachmentMail(JSON), StandardCharsets.US_ASCII)
            .replace("\r\n", "\n")
            .getBytes(StandardCharsets.US_ASCII));
    for (String type :
        List.of(
            "application/tlsrpt+x-gzip",
            "application/gzip",
            "application/x-gzip",
            "application/octet-stream; name=\"google.com!example.com!1!2!001.json.gz\"")) {
      v.put(
          type + " attachment",
          reportMail(
              "Content-Type: " + type + "\r\nContent-Transfer-Encoding: base64\r\n",
              base64Lines(gzip(JSON))));
    }
    v.put(
        "application/zip attachment",
        reportMail(
            "Content-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n",
            base64Lines(Inputs.zip("report.json", JSON))));
    v.put(
        "bare application/tlsrpt JSON part",
        reportMail(
            "Content-Type: application/tlsrpt\r\nContent-Disposition: attachment; filename=\"r.json\"\r\n",
            json));
    v.put(
        "plain JSON labelled application/tlsrpt+gzip",
        reportMail("Content-Type: application/tlsrpt+gzip\r\n", json));
    v.put(
        "Microsoft-style header: boundary first, report-type unquoted",
        new String(Inputs.gzipAttachmentMail(JSON), StandardCharsets.US_ASCII)
            .replace(
                "multipart/report; report-type=\"tlsrpt\";\r\n    boundary=\"----=_Part_8460\"",
                "multipart/report; boundary=\"----=_Part_8460\"; report-type=tlsrpt")
            .getBytes(StandardCharsets.US_ASCII));
    v.put(
        "attachment nested in multipart/mixed inside multipart/report",
        reportMail(
            "Content-Type: multipart/mixed; boundary=inner\r\n",
            "--inner\r\nContent-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64Lines(gzip(JSON))
                + "\r\n--inner--"));
    return v;
  }

  @TestFactory
  Stream<DynamicTest> everyWrappingYieldsTheSameReport() {
    TlsReport reference = single(parser.parse(JSON)).report();
    return variants().entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      ParsedReport got = single(parser.parse(e.getValue()));
                      assertThat(got.report()).isEqualTo(reference);
                    }));
  }

  @Test
  void httpsBodiesYieldTheSameReport() {
    TlsReport reference = single(parser.parse(JSON)).report();
    assertThat(single(parser.parseHttpBody(gzip(JSON), "application/tlsrpt+gzip")).report())
        .isEqualTo(reference);
    assertThat(single(parser.parseHttpBody(JSON, "application/tlsrpt+json")).report())
        .isEqualTo(reference);
    assertThat(
            single(parser.parseHttpBody(JSON, "application/tlsrpt+json; charset=utf-8")).report())
        .isEqualTo(reference);
  }

  @Test
  void everyEmailWrappingCarriesTheSameTransportMetadata() {
    Function<byte[], TransportMetadata> transport = raw -> single(parser.parse(raw)).transport();
    TransportMetadata attachment = transport.apply(Inputs.gzipAttachmentMail(JSON));
    assertThat(attachment)
        .isEqualTo(
            new TransportMetadata(
                "example.net",
                "mail.sender.example.com",
                "735ff.e317+bf22029@example.net",
                "mail.sender.example.com!example.net!1470013207!1470186007!001.json.gz",
                "application/tlsrpt+gzip",
                "tlsrpt@mail.sender.example.com",
                "<report-1@mail.sender.example.com>",
                "Fri, 09 May 2017 16:54:30 -0800"));
    // a forward reports the inner message's headers, not the forwarder's
    assertThat(transport.apply(Inputs.forwarded(Inputs.gzipAttachmentMail(JSON))))
        .isEqualTo(attachment);
  }

  @Test
  void severalReportsInOneMessageAreAllRead() {
    byte[] other =
        utf8(
            new String(JSON, StandardCharsets.UTF_8)
                .replace("5065427c-23d3-47ca", "second-report"));
    String b = "----=_Part_8460";
    byte[] raw =
        utf8(
            new String(
                reportMail(
                    "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n",
                    base64Lines(gzip(JSON))
                        + "\r\n--"
                        + b
                        + "\r\nContent-Type: application/tlsrpt+json\r\n\r\n"
                        + new String(other, StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8));
    ParseOutcome outcome = parser.parse(raw);
    assertThat(outcome).isInstanceOf(ParseOutcome.Parsed.class);
    List<ParsedReport> reports = ((ParseOutcome.Parsed) outcome).reports();
    assertThat(reports)
        .extracting(r -> r.report().reportId())
        .containsExactly("5065427c-23d3-47ca-b6e0-946ea0e8c4be", "second-report-b6e0-946ea0e8c4be");
  }

  static ParsedReport single(ParseOutcome outcome) {
    assertThat(outcome).as("%s", outcome).isInstanceOf(ParseOutcome.Parsed.class);
    List<ParsedReport> reports = ((ParseOutcome.Parsed) outcome).reports();
    assertThat(reports).hasSize(1);
    return reports.get(0);
  }
}

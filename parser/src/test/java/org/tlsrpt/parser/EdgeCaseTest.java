package org.tlsrpt.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.parser.Reports.accepted;
import static org.tlsrpt.parser.Reports.failure;
import static org.tlsrpt.parser.Reports.policy;
import static org.tlsrpt.parser.Reports.rejected;
import static org.tlsrpt.parser.Reports.with;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.tlsrpt.parser.model.StsMode;
import org.tlsrpt.parser.rules.RejectCode;

/** Inputs found by review to break or mislead earlier versions; each must now behave. */
class EdgeCaseTest {
  private final ReportParser parser = new ReportParser();

  private static String json() {
    return new String(with(j -> {}), StandardCharsets.UTF_8);
  }

  @Test
  void readsASubjectWhoseLowerCaseIsLongerWithoutFailing() {
    String mail =
        new String(Inputs.gzipAttachmentMail(with(j -> {})), StandardCharsets.UTF_8)
            .replace(
                "Subject: Report Domain: example.net",
                "Subject: \u0130Report-ID: <id-1@x> Domain: example.net");
    ParsedReport r = accepted(parser.parse(mail.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.transport().subjectReportId()).isEqualTo("id-1@x");
  }

  @Test
  void rejectsAnOffsetBeyondEighteenHoursAsInvalidValue() {
    rejected(
        parser.parse(
            with(
                j ->
                    j.withObjectProperty("date-range")
                        .put("start-datetime", "2024-01-01T00:00:00+19:00"))),
        RejectCode.INVALID_VALUE);
  }

  @Test
  void readsAMessageThatStartsWithAByteOrderMark() {
    byte[] mail = Inputs.gzipAttachmentMail(with(j -> {}));
    byte[] withBom = new byte[mail.length + 3];
    withBom[0] = (byte) 0xef;
    withBom[1] = (byte) 0xbb;
    withBom[2] = (byte) 0xbf;
    System.arraycopy(mail, 0, withBom, 3, mail.length);
    accepted(parser.parse(withBom));
  }

  @Test
  void readsAnEmptyHeaderAsAbsent() {
    String mail =
        new String(Inputs.gzipAttachmentMail(with(j -> {})), StandardCharsets.UTF_8)
            .replace("TLS-Report-Domain: example.net", "TLS-Report-Domain:   ");
    assertThat(
            accepted(parser.parse(mail.getBytes(StandardCharsets.UTF_8)))
                .transport()
                .tlsReportDomain())
        .isNull();
  }

  @Test
  void doesNotLetAParameterWithoutValueSwallowTheBoundary() {
    String mail =
        new String(Inputs.gzipAttachmentMail(with(j -> {})), StandardCharsets.UTF_8)
            .replace(
                "multipart/report; report-type=\"tlsrpt\";",
                "multipart/report; charset; report-type=\"tlsrpt\";");
    accepted(parser.parse(mail.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void takesTheFileNameFromNameWhenFilenameIsEmpty() {
    byte[] mail =
        Inputs.reportMail(
            "Content-Type: application/octet-stream; name=\"r.json.gz\"\r\nContent-Disposition: attachment;"
                + " filename=\"\"\r\nContent-Transfer-Encoding: base64\r\n",
            Inputs.base64Lines(Inputs.gzip(with(j -> {}))));
    assertThat(accepted(parser.parse(mail)).transport().attachmentFilename())
        .isEqualTo("r.json.gz");
  }

  @Test
  void decodesEncodedWordsAfterAMalformedOneAndAcrossSplitCharacters() {
    // "é" (C3 A9) split across two B-words, after a malformed word
    String subject = "=?bad Report-ID: =?UTF-8?B?w6k=?= <x@y> =?UTF-8?B?w6k=?=";
    String mail =
        new String(Inputs.gzipAttachmentMail(with(j -> {})), StandardCharsets.UTF_8)
            .replace(
                "From: tlsrpt@mail.sender.example.com",
                "From: =?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?= <a@b>\r\nX-Subject: " + subject);
    ParsedReport r = accepted(parser.parse(mail.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.transport().from()).isEqualTo("\u00e9\u00e9 <a@b>");
    String split = "=?UTF-8?B?w6g=?=  =?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=";
    String mail2 =
        new String(Inputs.gzipAttachmentMail(with(j -> {})), StandardCharsets.UTF_8)
            .replace("From: tlsrpt@mail.sender.example.com", "From: =?bad " + split);
    assertThat(accepted(parser.parse(mail2.getBytes(StandardCharsets.UTF_8))).transport().from())
        .isEqualTo("=?bad \u00e8\u00e9");
  }

  @Test
  void decodesBase64WhoseChunksAreEachPadded() {
    byte[] gz = Inputs.gzip(with(j -> {}));
    int half = gz.length / 2 + (gz.length / 2) % 3 + 1; // a length that needs padding
    String b64 =
        java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(gz, 0, half))
            + "\r\n"
            + java.util.Base64.getEncoder()
                .encodeToString(java.util.Arrays.copyOfRange(gz, half, gz.length));
    byte[] mail =
        Inputs.reportMail(
            "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n", b64);
    assertThat(accepted(parser.parse(mail)).report())
        .isEqualTo(accepted(parser.parse(with(j -> {}))).report());
  }

  @Test
  void doesNotTakeDigitsOfOtherScriptsForAnAddress() {
    ParsedReport r =
        accepted(parser.parse(with(j -> failure(j, 0, 0).put("sending-mta-ip", "\uff11::\uff11"))));
    assertThat(Reports.warningCodes(r)).containsExactly("ip_address_invalid");
  }

  @Test
  void rejectsABodyThatLooksLikeUtf32AsInvalidJson() {
    byte[] b = {'{', 0, 0, 0, '}', 0, 0, 0, ' ', 0, 0};
    rejected(parser.parse(b), RejectCode.INVALID_JSON);
  }

  @Test
  void readsAnStsPolicyGivenAsOneElementWithLineBreaks() {
    ParsedReport r =
        accepted(
            parser.parse(
                with(
                    j ->
                        policy(j, 0)
                            .putArray("policy-string")
                            .add(
                                "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1"))));
    assertThat(r.report().policies().get(0).mode()).isEqualTo(StsMode.ENFORCE);
    assertThat(r.report().policies().get(0).sts().mx()).containsExactly("a.example");
  }

  @Test
  void keepsAtMostOneHundredWarningsPerReportAndSaysHowManyMore() {
    ParsedReport r =
        accepted(
            parser.parse(
                with(
                    j -> {
                      var details =
                          ((com.fasterxml.jackson.databind.node.ObjectNode)
                                  j.get("policies").get(0))
                              .putArray("failure-details");
                      for (int i = 0; i < 1000; i++) {
                        details
                            .addObject()
                            .put("result-type", "x-" + i)
                            .put("failed-session-count", 1);
                      }
                    })));
    assertThat(r.warnings()).hasSize(101);
    assertThat(r.warnings().get(100).message()).startsWith("900 more warnings");
  }

  @Test
  void stillAcceptsOrdinaryReportsAfterAllThat() {
    assertThat(accepted(parser.parse(json().getBytes(StandardCharsets.UTF_8))).warnings())
        .isEmpty();
  }
}

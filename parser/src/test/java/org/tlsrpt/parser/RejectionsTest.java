package org.tlsrpt.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.parser.Inputs.utf8;
import static org.tlsrpt.parser.Reports.failure;
import static org.tlsrpt.parser.Reports.policy;
import static org.tlsrpt.parser.Reports.policyEntry;
import static org.tlsrpt.parser.Reports.rejected;
import static org.tlsrpt.parser.Reports.with;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tlsrpt.parser.rules.ParserLimits;
import org.tlsrpt.parser.rules.RejectCode;

/** One test per rejection code, each checking that the message names what was wrong. */
class RejectionsTest {
  private final ReportParser parser = new ReportParser();

  private ParseOutcome.Rejected reject(byte[] input, RejectCode code) {
    return rejected(parser.parse(input), code);
  }

  // not_a_report

  @Test
  void rejectsAMessageWithoutAReportPartAsNotAReport() {
    byte[] mail =
        utf8(
            "From: someone@example.com\r\nSubject: Report Domain: example.com Submitter: google.com"
                + " Report-ID: <x@y>\r\nContent-Type: text/plain\r\n\r\nHello, no report here.\r\n");
    assertThat(reject(mail, RejectCode.NOT_A_REPORT).detail()).contains("no TLS report part");
  }

  @Test
  void neverGuessesAReportFromTheSubject() {
    byte[] mail =
        utf8(
            "Subject: Report Domain: example.net Submitter: google.com Report-ID: <1@google.com>\r\n"
                + "Content-Type: text/plain\r\n\r\n{\"organization-name\":\"x\"}\r\n");
    reject(mail, RejectCode.NOT_A_REPORT);
  }

  @Test
  void rejectsADeliveryStatusNotificationAsNotAReport() {
    byte[] dsn =
        utf8(
            "From: MAILER-DAEMON@example.net\r\nContent-Type: multipart/report;"
                + " report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                + "Undeliverable\r\n--b\r\nContent-Type: application/json; name=\"x.json\"\r\n\r\n{}\r\n--b--\r\n");
    reject(dsn, RejectCode.NOT_A_REPORT);
  }

  @Test
  void rejectsADmarcAggregateReportAsNotATlsReport() {
    byte[] mail =
        Inputs.reportMail(
            "Content-Type: application/gzip; name=\"google.com!example.com!1!2.xml.gz\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n",
            Inputs.base64Lines(Inputs.gzip(utf8("<?xml version=\"1.0\"?><feedback></feedback>"))));
    assertThat(reject(mail, RejectCode.NOT_A_REPORT).detail()).contains("DMARC");
  }

  @Test
  void rejectsTextThatIsNeitherMessageNorReportAsNotAReport() {
    reject(utf8("hello world, this is not a report\n"), RejectCode.NOT_A_REPORT);
  }

  @Test
  void rejectsEmptyInputAsNotAReport() {
    reject(new byte[0], RejectCode.NOT_A_REPORT);
    reject(utf8(" \r\n\t"), RejectCode.NOT_A_REPORT);
  }

  // invalid_json

  @Test
  void rejectsTruncatedJsonAsInvalidJsonWithItsPosition() {
    byte[] json = with(j -> {});
    byte[] cut = Arrays.copyOf(json, json.length / 2);
    assertThat(reject(cut, RejectCode.INVALID_JSON).detail()).contains("line", "column");
  }

  @Test
  void rejectsTrailingContentAfterTheReportAsInvalidJson() {
    byte[] json = utf8(new String(with(j -> {}), java.nio.charset.StandardCharsets.UTF_8) + " {}");
    assertThat(reject(json, RejectCode.INVALID_JSON).detail()).contains("after the report");
  }

  @Test
  void rejectsInvalidUtf8AsInvalidJson() {
    byte[] json = utf8("{\"organization-name\": \"x\u0000\"}");
    json[json.length - 3] = (byte) 0xff;
    reject(json, RejectCode.INVALID_JSON);
  }

  @Test
  void rejectsAReportPartThatIsNotJsonAsInvalidJson() {
    byte[] mail =
        Inputs.reportMail("Content-Type: application/tlsrpt+json\r\n", "this is not json");
    assertThat(reject(mail, RejectCode.INVALID_JSON).detail())
        .contains("application/tlsrpt+json part");
  }

  // decompression_error

  @Test
  void rejectsTruncatedGzipAsDecompressionError() {
    byte[] gz = Inputs.gzip(with(j -> {}));
    assertThat(reject(Arrays.copyOf(gz, gz.length - 12), RejectCode.DECOMPRESSION_ERROR).detail())
        .contains("truncated");
  }

  @Test
  void rejectsGzipWithAWrongChecksumAsDecompressionError() {
    byte[] gz = Inputs.gzip(with(j -> {}));
    gz[gz.length - 6] ^= 0x55;
    assertThat(reject(gz, RejectCode.DECOMPRESSION_ERROR).detail()).contains("CRC");
  }

  @Test
  void rejectsCorruptDeflateDataAsDecompressionError() {
    byte[] gz = Inputs.gzip(with(j -> {}));
    for (int i = 12; i < 40; i++) {
      gz[i] = (byte) 0xff;
    }
    reject(gz, RejectCode.DECOMPRESSION_ERROR);
  }

  @Test
  void rejectsAPartLabelledGzipThatIsNotGzipAsDecompressionError() {
    byte[] mail =
        Inputs.reportMail(
            "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n",
            Inputs.base64Lines(utf8("garbage that is not gzip")));
    assertThat(reject(mail, RejectCode.DECOMPRESSION_ERROR).detail()).contains("not gzip");
  }

  @Test
  void rejectsATruncatedZipAsDecompressionError() {
    byte[] zip = Inputs.zip("r.json", with(j -> {}));
    reject(Arrays.copyOf(zip, 40), RejectCode.DECOMPRESSION_ERROR);
  }

  // size_limit

  @Test
  void rejectsInputOverTheInputLimitAsSizeLimit() {
    ReportParser small = new ReportParser(limits(1000, 64 << 20));
    assertThat(rejected(small.parse(with(j -> {})), RejectCode.SIZE_LIMIT).detail())
        .contains("maxInputBytes");
  }

  @Test
  void rejectsZipArchivesWithTooManyEntriesAsSizeLimit() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    try (var zip = new java.util.zip.ZipOutputStream(out)) {
      for (int i = 0; i < 20; i++) {
        zip.putNextEntry(new java.util.zip.ZipEntry("r" + i + ".json"));
        zip.write(with(j -> {}));
      }
    }
    assertThat(reject(out.toByteArray(), RejectCode.SIZE_LIMIT).detail()).contains("maxZipEntries");
  }

  @Test
  void rejectsTooManyFailureDetailsAsSizeLimit() {
    ParserLimits d = ParserLimits.DEFAULTS;
    ReportParser strict =
        new ReportParser(
            new ParserLimits(
                d.maxInputBytes(),
                d.maxDecompressedBytes(),
                d.maxZipEntries(),
                d.maxMimeDepth(),
                d.maxMimeParts(),
                d.maxJsonDepth(),
                d.maxStringLength(),
                d.maxNumberLength(),
                d.maxPolicies(),
                2,
                d.maxPolicyStrings()));
    assertThat(rejected(strict.parse(with(j -> {})), RejectCode.SIZE_LIMIT).detail())
        .contains("maxFailureDetails");
  }

  @Test
  void rejectsAStringOverTheStringLimitAsSizeLimit() {
    byte[] json =
        with(
            j ->
                j.put(
                    "organization-name", "x".repeat(ParserLimits.DEFAULTS.maxStringLength() + 1)));
    reject(json, RejectCode.SIZE_LIMIT);
  }

  @Test
  void rejectsANumberOverTheNumberLimitAsSizeLimit() {
    String json =
        new String(with(j -> {}), java.nio.charset.StandardCharsets.UTF_8)
            .replace(
                "\"total-successful-session-count\":5326",
                "\"total-successful-session-count\":" + "9".repeat(40));
    reject(utf8(json), RejectCode.SIZE_LIMIT);
  }

  // depth_limit

  @Test
  void rejectsGzipInsideGzipAsDepthLimit() {
    assertThat(reject(Inputs.gzip(Inputs.gzip(with(j -> {}))), RejectCode.DEPTH_LIMIT).detail())
        .contains("only one level");
  }

  @Test
  void rejectsGzipInsideZipAsDepthLimit() {
    reject(Inputs.zip("r.json.gz", Inputs.gzip(with(j -> {}))), RejectCode.DEPTH_LIMIT);
  }

  @Test
  void rejectsDeeplyNestedJsonAsDepthLimit() {
    String deep = "{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertThat(reject(utf8(deep), RejectCode.DEPTH_LIMIT).detail()).contains("nesting depth");
  }

  @Test
  void rejectsForwardsNestedBeyondTheMimeDepthAsDepthLimit() {
    byte[] mail = Inputs.gzipAttachmentMail(with(j -> {}));
    for (int i = 0; i < 8; i++) {
      mail = Inputs.forwarded(mail);
    }
    assertThat(reject(mail, RejectCode.DEPTH_LIMIT).detail()).contains("maxMimeDepth");
  }

  // missing_field

  @ParameterizedTest
  @ValueSource(strings = {"report-id", "organization-name", "date-range", "policies"})
  void rejectsAReportWithoutARequiredMemberAsMissingField(String member) {
    assertThat(reject(with(j -> j.remove(member)), RejectCode.MISSING_FIELD).detail())
        .startsWith(member);
  }

  @Test
  void rejectsAnEmptyOrNullRequiredStringAsMissingField() {
    reject(with(j -> j.put("report-id", "")), RejectCode.MISSING_FIELD);
    reject(with(j -> j.putNull("organization-name")), RejectCode.MISSING_FIELD);
  }

  @Test
  void rejectsAMissingEndDateTimeAsMissingField() {
    assertThat(
            reject(
                    with(j -> j.withObjectProperty("date-range").remove("end-datetime")),
                    RejectCode.MISSING_FIELD)
                .detail())
        .isEqualTo("date-range.end-datetime is required but absent, null or empty");
  }

  @Test
  void rejectsAPolicyWithoutPolicyTypeAsMissingField() {
    assertThat(
            reject(with(j -> policy(j, 0).remove("policy-type")), RejectCode.MISSING_FIELD)
                .detail())
        .startsWith("policies[0].policy.policy-type");
  }

  @Test
  void rejectsAnStsPolicyWithoutPolicyDomainAsMissingField() {
    reject(with(j -> policy(j, 0).remove("policy-domain")), RejectCode.MISSING_FIELD);
  }

  @Test
  void rejectsASummaryWithoutItsCountsAsMissingField() {
    assertThat(
            reject(
                    with(
                        j ->
                            policyEntry(j, 0)
                                .withObjectProperty("summary")
                                .remove("total-failure-session-count")),
                    RejectCode.MISSING_FIELD)
                .detail())
        .startsWith("policies[0].summary.total-failure-session-count");
    reject(
        with(
            j ->
                policyEntry(j, 0)
                    .withObjectProperty("summary")
                    .remove("total-successful-session-count")),
        RejectCode.MISSING_FIELD);
  }

  @Test
  void rejectsAFailureWithoutResultTypeOrCountAsMissingField() {
    assertThat(
            reject(with(j -> failure(j, 0, 2).remove("result-type")), RejectCode.MISSING_FIELD)
                .detail())
        .startsWith("policies[0].failure-details[2].result-type");
    reject(with(j -> failure(j, 0, 1).remove("failed-session-count")), RejectCode.MISSING_FIELD);
  }

  // invalid_value

  @Test
  void rejectsAnEndBeforeTheStartAsInvalidValue() {
    assertThat(
            reject(
                    with(
                        j ->
                            j.withObjectProperty("date-range")
                                .put("end-datetime", "2016-03-31T23:59:59Z")),
                    RejectCode.INVALID_VALUE)
                .detail())
        .contains("before");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-13-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "yesterday",
        "2024-01-01",
        "2024-01-01T25:00:00Z",
        "2024-01-01T00:00:00+5"
      })
  void rejectsADateTimeThatIsNotRfc3339AsInvalidValue(String value) {
    assertThat(
            reject(
                    with(j -> j.withObjectProperty("date-range").put("start-datetime", value)),
                    RejectCode.INVALID_VALUE)
                .detail())
        .isEqualTo("date-range.start-datetime '" + value + "' is not an RFC 3339 date-time");
  }

  @Test
  void rejectsANegativeCountAsInvalidValue() {
    assertThat(
            reject(
                    with(j -> failure(j, 0, 0).put("failed-session-count", -1)),
                    RejectCode.INVALID_VALUE)
                .detail())
        .isEqualTo("policies[0].failure-details[0].failed-session-count is negative (-1)");
  }

  @Test
  void rejectsACountThatIsNotAnIntegerAsInvalidValue() {
    reject(
        with(j -> failure(j, 0, 0).put("failed-session-count", "100")), RejectCode.INVALID_VALUE);
    reject(with(j -> failure(j, 0, 0).put("failed-session-count", 1.5)), RejectCode.INVALID_VALUE);
  }

  @Test
  void rejectsACountBeyondSixtyFourBitsAsInvalidValue() {
    String json =
        new String(with(j -> {}), java.nio.charset.StandardCharsets.UTF_8)
            .replace(
                "\"total-successful-session-count\":5326",
                "\"total-successful-session-count\":99999999999999999999");
    reject(utf8(json), RejectCode.INVALID_VALUE);
  }

  @Test
  void rejectsPoliciesThatAreNotAnArrayAsInvalidValue() {
    assertThat(
            reject(with(j -> j.set("policies", j.get("policies").get(0))), RejectCode.INVALID_VALUE)
                .detail())
        .contains("must be an array");
  }

  @Test
  void rejectsAReportThatIsNotAnObjectAsInvalidValue() {
    reject(utf8("[1, 2, 3]"), RejectCode.INVALID_VALUE);
  }

  @Test
  void rejectsAMemberOfTheWrongTypeAsInvalidValue() {
    assertThat(reject(with(j -> j.put("organization-name", 42)), RejectCode.INVALID_VALUE).detail())
        .isEqualTo("organization-name must be a string, found an integer");
  }

  @Test
  void rejectsADuplicatedMemberAsInvalidJson() {
    String json =
        new String(with(j -> {}), java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"report-id\":", "\"report-id\":\"other\",\"report-id\":");
    assertThat(reject(utf8(json), RejectCode.INVALID_JSON).detail())
        .contains("duplicate", "report-id");
  }

  static ParserLimits limits(int input, long decompressed) {
    ParserLimits d = ParserLimits.DEFAULTS;
    return new ParserLimits(
        input,
        decompressed,
        d.maxZipEntries(),
        d.maxMimeDepth(),
        d.maxMimeParts(),
        d.maxJsonDepth(),
        d.maxStringLength(),
        d.maxNumberLength(),
        d.maxPolicies(),
        d.maxFailureDetails(),
        d.maxPolicyStrings());
  }
}

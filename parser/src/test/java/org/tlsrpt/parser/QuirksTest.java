package org.tlsrpt.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.parser.Reports.accepted;
import static org.tlsrpt.parser.Reports.failure;
import static org.tlsrpt.parser.Reports.policy;
import static org.tlsrpt.parser.Reports.policyEntry;
import static org.tlsrpt.parser.Reports.warningCodes;
import static org.tlsrpt.parser.Reports.with;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.PolicyType;
import org.tlsrpt.parser.model.ResultType;
import org.tlsrpt.parser.model.StsMode;
import org.tlsrpt.parser.model.TlsaRecord;

/** One test per quirk of real reporters that the parser tolerates (RFC8460-NOTES.md §1.4, §6). */
class QuirksTest {
  private final ReportParser parser = new ReportParser();

  private ParsedReport parse(byte[] json) {
    return accepted(parser.parse(json));
  }

  @Test
  void readsDateTimesWithOffsetsAndFractionsAsUtcInstants() {
    ParsedReport r =
        parse(
            with(
                j -> {
                  j.withObjectProperty("date-range")
                      .put("start-datetime", "2016-04-01T02:00:00.250+02:00");
                  j.withObjectProperty("date-range")
                      .put("end-datetime", "2016-04-01t23:59:59.999999999z");
                }));
    assertThat(r.report().dateRange().start()).isEqualTo(Instant.parse("2016-04-01T00:00:00.250Z"));
    assertThat(r.report().dateRange().end())
        .isEqualTo(Instant.parse("2016-04-01T23:59:59.999999999Z"));
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void readsADateTimeWithoutOffsetAsUtcWithAWarning() {
    ParsedReport r =
        parse(
            with(
                j ->
                    j.withObjectProperty("date-range")
                        .put("start-datetime", "2016-04-01T00:00:00")));
    assertThat(r.report().dateRange().start()).isEqualTo(Instant.parse("2016-04-01T00:00:00Z"));
    assertThat(warningCodes(r)).containsExactly("date_without_offset");
    assertThat(r.warnings().get(0).message()).contains("date-range.start-datetime");
  }

  @Test
  void acceptsAnEndEqualToTheStart() {
    ParsedReport r =
        parse(
            with(
                j ->
                    j.withObjectProperty("date-range")
                        .put("end-datetime", "2016-04-01T00:00:00Z")));
    assertThat(r.report().dateRange().end()).isEqualTo(r.report().dateRange().start());
  }

  @Test
  void canonicalisesIpv6AddressesPerRfc5952AndKeepsIpv4() {
    ParsedReport r = parse(with(j -> failure(j, 0, 1).put("receiving-ip", "2001:DB8:0:0:0:0:0:1")));
    List<FailureDetail> f = r.report().policies().get(0).failures();
    assertThat(f.get(0).sendingMtaIp()).isEqualTo("2001:db8:abcd:12::1");
    assertThat(f.get(1).receivingIp()).isEqualTo("2001:db8::1");
    assertThat(f.get(2).sendingMtaIp()).isEqualTo("198.51.100.62");
  }

  @Test
  void keepsAnAddressThatIsNotAnIpLiteralVerbatimWithAWarning() {
    ParsedReport r = parse(with(j -> failure(j, 0, 0).put("sending-mta-ip", "mail.example.com")));
    assertThat(r.report().policies().get(0).failures().get(0).sendingMtaIp())
        .isEqualTo("mail.example.com");
    assertThat(warningCodes(r)).containsExactly("ip_address_invalid");
  }

  @Test
  void readsMxHostGivenAsAStringAsAOneElementList() {
    ParsedReport r = parse(with(j -> policy(j, 0).put("mx-host", "*.Mail.Company-Y.example")));
    assertThat(r.report().policies().get(0).mxHosts()).containsExactly("*.mail.company-y.example");
    assertThat(warningCodes(r)).containsExactly("mx_host_string");
  }

  @Test
  void stripsAStrayMxPrefixFromMxHostWithAWarning() {
    ParsedReport r =
        parse(
            with(
                j ->
                    policy(j, 0)
                        .putArray("mx-host")
                        .add("mx: mx1.example.com")
                        .add("mx2.example.com")));
    assertThat(r.report().policies().get(0).mxHosts())
        .containsExactly("mx1.example.com", "mx2.example.com");
    assertThat(warningCodes(r)).containsExactly("mx_host_prefix");
  }

  @Test
  void readsAdditionalInfoUriAsAdditionalInformation() {
    ParsedReport r =
        parse(
            with(
                j -> {
                  failure(j, 0, 1).remove("additional-information");
                  failure(j, 0, 1).put("additional-info-uri", "https://reports.example/x");
                }));
    assertThat(r.report().policies().get(0).failures().get(1).additionalInformation())
        .isEqualTo("https://reports.example/x");
  }

  @Test
  void keepsAdditionalInformationThatIsNotAUriAsOpaqueText() {
    ParsedReport r = parse(Samples.read("phi-ag__rfc-errata-6241.json"));
    assertThat(r.report().policies().get(0).failures().get(1).additionalInformation())
        .isEqualTo(
            "https://reports.company-x.example/report_info ? id = 5065427 c - 23 d3# StarttlsNotSupported ");
  }

  @Test
  void acceptsFailureDetailsWhoseSumExceedsTheSummaryTotal() {
    ParsedReport r =
        parse(
            with(
                j ->
                    policyEntry(j, 0)
                        .withObjectProperty("summary")
                        .put("total-failure-session-count", 1)));
    PolicyResult p = r.report().policies().get(0);
    assertThat(p.failedSessions()).isEqualTo(1);
    assertThat(p.failures().stream().mapToLong(FailureDetail::failedSessionCount).sum())
        .isEqualTo(303);
  }

  @Test
  void readsCountsBeyondThirtyTwoBits() {
    ParsedReport r =
        parse(
            with(
                j ->
                    policyEntry(j, 0)
                        .withObjectProperty("summary")
                        .put("total-successful-session-count", 9_000_000_000_000L)));
    assertThat(r.report().policies().get(0).successfulSessions()).isEqualTo(9_000_000_000_000L);
  }

  @Test
  void keepsAnUnknownResultTypeVerbatimWithAWarning() {
    ParsedReport r = parse(with(j -> failure(j, 0, 0).put("result-type", "quantum-decoherence")));
    ResultType t = r.report().policies().get(0).failures().get(0).resultType();
    assertThat(t.wire()).isEqualTo("quantum-decoherence");
    assertThat(t.isKnown()).isFalse();
    assertThat(warningCodes(r)).containsExactly("unknown_result_type");
  }

  @Test
  void keepsAnUnknownPolicyTypeVerbatimWithAWarning() {
    ParsedReport r =
        parse(
            with(
                j -> {
                  policy(j, 0).put("policy-type", "invalid-policy-type");
                  policy(j, 0).remove("policy-domain");
                }));
    PolicyType t = r.report().policies().get(0).policyType();
    assertThat(t.wire()).isEqualTo("invalid-policy-type");
    assertThat(t.isKnown()).isFalse();
    assertThat(r.report().policies().get(0).mode()).isNull();
    assertThat(warningCodes(r)).containsExactly("unknown_policy_type");
  }

  @Test
  void ignoresUnknownMembersAtEveryLevel() {
    ParsedReport reference = parse(with(j -> {}));
    ParsedReport r =
        parse(
            with(
                j -> {
                  j.put("policy-name", "vendor extension");
                  j.putObject("x-nested").putArray("deep").addObject().put("a", 1);
                  policy(j, 0).put("x-extra", true);
                  policyEntry(j, 0).withObjectProperty("summary").put("x-other-count", 5);
                  failure(j, 0, 0).putNull("x-null");
                }));
    assertThat(r.report()).isEqualTo(reference.report());
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void acceptsANullContactInfo() {
    assertThat(parse(with(j -> j.putNull("contact-info"))).report().contactInfo()).isNull();
  }

  @Test
  void acceptsAMissingContactInfo() {
    assertThat(parse(with(j -> j.remove("contact-info"))).report().contactInfo()).isNull();
  }

  @Test
  void acceptsNoPolicyFoundWithoutPolicyDomainOrPolicyString() {
    ParsedReport r =
        parse(
            with(
                j -> {
                  policy(j, 0).removeAll();
                  policy(j, 0).put("policy-type", "no-policy-found");
                }));
    PolicyResult p = r.report().policies().get(0);
    assertThat(p.policyType().is(PolicyType.Known.NO_POLICY_FOUND)).isTrue();
    assertThat(p.policyDomain()).isNull();
    assertThat(p.policyStrings()).isNull();
    assertThat(p.mxHosts()).isNull();
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void acceptsAbsentOrEmptyOrNullFailureDetails() {
    assertThat(
            parse(with(j -> policyEntry(j, 0).remove("failure-details")))
                .report()
                .policies()
                .get(0)
                .failures())
        .isEmpty();
    assertThat(
            parse(with(j -> policyEntry(j, 0).putArray("failure-details")))
                .report()
                .policies()
                .get(0)
                .failures())
        .isEmpty();
    assertThat(
            parse(with(j -> policyEntry(j, 0).putNull("failure-details")))
                .report()
                .policies()
                .get(0)
                .failures())
        .isEmpty();
  }

  @Test
  void acceptsAFailureWithoutSendingIpOrReceivingMx() {
    ParsedReport r =
        parse(
            with(
                j -> {
                  failure(j, 0, 0).remove("sending-mta-ip");
                  failure(j, 0, 0).remove("receiving-mx-hostname");
                }));
    FailureDetail f = r.report().policies().get(0).failures().get(0);
    assertThat(f.sendingMtaIp()).isNull();
    assertThat(f.receivingMxHostname()).isNull();
    assertThat(f.failedSessionCount()).isEqualTo(100);
  }

  @Test
  void derivesTheStsPolicyFromItsPolicyString() {
    PolicyResult p = parse(with(j -> {})).report().policies().get(0);
    assertThat(p.mode()).isEqualTo(StsMode.TESTING);
    assertThat(p.sts().version()).isEqualTo("STSv1");
    assertThat(p.sts().maxAge()).isEqualTo(86400L);
    assertThat(p.sts().mx()).containsExactly("*.mail.company-y.example");
  }

  @Test
  void takesTheFirstModeLineAndIgnoresModeElsewhere() {
    ParsedReport r =
        parse(
            with(
                j -> {
                  policy(j, 0)
                      .putArray("policy-string")
                      .add("version: STSv1")
                      .add("mode:enforce  ")
                      .add("mode: testing")
                      .add("max_age: 604800");
                  j.put("mode", "none");
                }));
    assertThat(r.report().policies().get(0).mode()).isEqualTo(StsMode.ENFORCE);
  }

  @Test
  void warnsOnAnStsPolicyStringWithoutAReadableMode() {
    ParsedReport r =
        parse(
            with(
                j ->
                    policy(j, 0)
                        .putArray("policy-string")
                        .add("version: STSv1")
                        .add("mode: strict")));
    assertThat(r.report().policies().get(0).mode()).isNull();
    assertThat(r.report().policies().get(0).policyStrings())
        .containsExactly("version: STSv1", "mode: strict");
    assertThat(warningCodes(r)).containsExactly("sts_mode_unknown");
  }

  @Test
  void readsTlsaRecordsFromThePolicyString() {
    ParsedReport r =
        parse(
            with(
                j -> {
                  policy(j, 0).put("policy-type", "tlsa");
                  policy(j, 0).putArray("policy-string").add("3 1 1 1f85e0").add("2 0 1 ABCD");
                }));
    PolicyResult p = r.report().policies().get(0);
    assertThat(p.tlsaRecords())
        .containsExactly(new TlsaRecord(3, 1, 1, "1F85E0"), new TlsaRecord(2, 0, 1, "ABCD"));
    assertThat(p.mode()).isNull();
  }

  @Test
  void unwrapsMicrosoftsJsonEncodedTlsaRecordArrayWithAWarning() {
    ParsedReport r = parse(Samples.read("cry-inc__microsoft.json"));
    PolicyResult tlsa = r.report().policies().get(1);
    assertThat(tlsa.tlsaRecords()).hasSize(2);
    assertThat(tlsa.tlsaRecords().get(0).data()).startsWith("6007EEE5");
    assertThat(tlsa.policyStrings()).hasSize(1);
    assertThat(warningCodes(r)).containsExactly("tlsa_json_encoded");
  }

  @Test
  void lowerCasesDomainNamesAndDropsTheRootDot() {
    ParsedReport r =
        parse(
            with(
                j -> {
                  policy(j, 0).put("policy-domain", "Company-Y.Example.");
                  failure(j, 0, 0).put("receiving-mx-hostname", "MX1.Mail.Company-Y.Example");
                }));
    assertThat(r.report().policies().get(0).policyDomain()).isEqualTo("company-y.example");
    assertThat(r.report().policies().get(0).failures().get(0).receivingMxHostname())
        .isEqualTo("mx1.mail.company-y.example");
  }

  @Test
  void readsAReportIdSentAsANumberAsItsDigits() {
    ParsedReport r = parse(with(j -> j.put("report-id", 133561180919336230L)));
    assertThat(r.report().reportId()).isEqualTo("133561180919336230");
    assertThat(warningCodes(r)).containsExactly("report_id_number");
  }

  @Test
  void keepsMicrosoftsReportIdWithAnEmptyDomainPart() {
    assertThat(parse(Samples.read("cry-inc__no_ip_and_mx.json")).report().reportId())
        .isEqualTo("1234567890+");
  }

  @Test
  void readsAUtf8ByteOrderMarkAndLeadingWhitespace() {
    byte[] json = with(j -> {});
    byte[] withBom = new byte[json.length + 5];
    withBom[0] = (byte) 0xef;
    withBom[1] = (byte) 0xbb;
    withBom[2] = (byte) 0xbf;
    withBom[3] = '\n';
    withBom[4] = ' ';
    System.arraycopy(json, 0, withBom, 5, json.length);
    assertThat(parse(withBom).report()).isEqualTo(parse(json).report());
  }

  @Test
  void readsConcatenatedGzipMembersAsOneStream() {
    byte[] json = with(j -> {});
    int half = json.length / 2;
    byte[] a = Inputs.gzip(java.util.Arrays.copyOfRange(json, 0, half));
    byte[] b = Inputs.gzip(java.util.Arrays.copyOfRange(json, half, json.length));
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertThat(parse(both).report()).isEqualTo(parse(json).report());
  }

  @Test
  void warnsAboutPlainJsonLabelledAsGzip() {
    ParsedReport r =
        accepted(
            parser.parse(
                Inputs.reportMail(
                    "Content-Type: application/tlsrpt+gzip\r\n",
                    new String(with(j -> {}), java.nio.charset.StandardCharsets.UTF_8))));
    assertThat(warningCodes(r)).containsExactly("mislabelled_content");
  }

  @Test
  void readsTheSubjectReportIdWithoutAngleBracketsAsMicrosoftSendsIt() {
    assertThat(
            ReportParser.subjectReportId(
                "Report Domain: example.com Submitter: microsoft.com Report-ID: 133944884956529435+example.com"))
        .isEqualTo("133944884956529435+example.com");
    assertThat(ReportParser.subjectReportId("Report Domain: a Submitter: b Report-ID: <x@y>"))
        .isEqualTo("x@y");
    assertThat(ReportParser.subjectReportId("TLS report for example.com")).isNull();
  }

  @Test
  void neverRejectsForHeadersThatDisagreeWithTheBody() {
    // RFC 8460 §5.6: the body is authoritative; the RFC's own example has mismatching headers
    ParsedReport r = accepted(parser.parse(Samples.read("stalwart__rpt01_rfc_example_gzip.eml")));
    assertThat(r.transport().tlsReportDomain()).isEqualTo("example.net");
    assertThat(r.report().policies().get(0).policyDomain()).isEqualTo("company-y.example");
  }
}

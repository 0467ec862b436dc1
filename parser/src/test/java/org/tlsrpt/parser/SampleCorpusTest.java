package org.tlsrpt.parser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.TlsReport;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.parser.rules.Warning;

/**
 * Every public sample parses, and what the parser read equals what an independent reading of the
 * same file says, field by field. The one sample that is rejected is rejected by a documented
 * decision (docs/adr/0002-parser-leniency.md).
 */
class SampleCorpusTest {
  private final ReportParser parser = new ReportParser();

  /** Warnings each sample must raise (and no others). */
  private static final Map<String, Set<String>> EXPECTED_WARNINGS =
      Map.of(
          "phi-ag__microsoft-2_no_timezone.json", Set.of("date_without_offset"),
          "parsedmarc__rfc8460.json", Set.of("mx_host_string"),
          "cry-inc__no-contact.json", Set.of("mx_host_prefix"),
          "cry-inc__microsoft.json", Set.of("tlsa_json_encoded"));

  /** Decision: summary counts are required (issue 2), so this robustness sample is rejected. */
  private static final Map<String, RejectCode> EXPECTED_REJECTIONS =
      Map.of("stalwart__rpt03_invalid_policy_type.json", RejectCode.MISSING_FIELD);

  @Test
  void theCorpusIsThere() {
    assertThat(Samples.all()).hasSizeGreaterThanOrEqualTo(17);
  }

  @TestFactory
  Stream<DynamicTest> everySampleReadsAsItsFileSays() {
    return Samples.all().stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  private void check(Path file) throws Exception {
    String name = file.getFileName().toString();
    byte[] raw = Files.readAllBytes(file);
    ParseOutcome outcome = parser.parse(raw);
    if (EXPECTED_REJECTIONS.containsKey(name)) {
      assertThat(outcome).isInstanceOf(ParseOutcome.Rejected.class);
      ParseOutcome.Rejected r = (ParseOutcome.Rejected) outcome;
      assertThat(r.code()).isEqualTo(EXPECTED_REJECTIONS.get(name));
      assertThat(r.detail()).contains("total-failure-session-count");
      return;
    }
    assertThat(outcome).as("%s: %s", name, outcome).isInstanceOf(ParseOutcome.Parsed.class);
    List<ParsedReport> reports = ((ParseOutcome.Parsed) outcome).reports();
    List<JsonNode> oracle = IndependentReading.reports(raw);
    assertThat(reports).hasSameSizeAs(oracle).isNotEmpty();
    for (int i = 0; i < reports.size(); i++) {
      sameReport(reports.get(i).report(), oracle.get(i));
    }
    Set<String> warnings =
        reports.stream()
            .flatMap(r -> r.warnings().stream())
            .map(Warning::code)
            .collect(Collectors.toSet());
    assertThat(warnings).as(name).isEqualTo(EXPECTED_WARNINGS.getOrDefault(name, Set.of()));
    if (name.endsWith(".eml")) {
      sameTransport(reports.get(0), raw);
    } else {
      assertThat(reports.get(0).transport()).isNull();
    }
  }

  private static void sameReport(TlsReport r, JsonNode j) throws Exception {
    assertThat(r.organizationName()).isEqualTo(j.get("organization-name").asText());
    assertThat(r.reportId()).isEqualTo(j.get("report-id").asText());
    JsonNode contact = j.get("contact-info");
    assertThat(r.contactInfo())
        .isEqualTo(contact == null || contact.isNull() ? null : contact.asText());
    assertThat(r.dateRange().start())
        .isEqualTo(instant(j.at("/date-range/start-datetime").asText()));
    assertThat(r.dateRange().end()).isEqualTo(instant(j.at("/date-range/end-datetime").asText()));
    JsonNode policies = j.get("policies");
    assertThat(r.policies()).hasSize(policies.size());
    for (int p = 0; p < policies.size(); p++) {
      PolicyResult pr = r.policies().get(p);
      JsonNode jp = policies.get(p);
      assertThat(pr.policyType().wire()).isEqualTo(jp.at("/policy/policy-type").asText());
      JsonNode domain = jp.at("/policy/policy-domain");
      assertThat(pr.policyDomain())
          .isEqualTo(domain.isMissingNode() ? null : domain.asText().toLowerCase());
      assertThat(pr.successfulSessions())
          .isEqualTo(jp.at("/summary/total-successful-session-count").asLong());
      assertThat(pr.failedSessions())
          .isEqualTo(jp.at("/summary/total-failure-session-count").asLong());
      JsonNode strings = jp.at("/policy/policy-string");
      if (strings.isMissingNode()) {
        assertThat(pr.policyStrings()).isNull();
      } else {
        assertThat(pr.policyStrings()).hasSize(strings.size());
        if (pr.policyType().wire().equals("sts")) {
          String modeLine = null;
          for (JsonNode s : strings) {
            if (s.asText().startsWith("mode:")) {
              modeLine = s.asText().substring(5).trim();
            }
          }
          assertThat(pr.mode().wire()).isEqualTo(modeLine);
        }
      }
      JsonNode details = jp.get("failure-details");
      int expected = details == null ? 0 : details.size();
      assertThat(pr.failures()).hasSize(expected);
      for (int d = 0; d < expected; d++) {
        FailureDetail fd = pr.failures().get(d);
        JsonNode jd = details.get(d);
        assertThat(fd.resultType().wire()).isEqualTo(jd.get("result-type").asText());
        assertThat(fd.failedSessionCount()).isEqualTo(jd.get("failed-session-count").asLong());
        sameIp(fd.sendingMtaIp(), jd.get("sending-mta-ip"));
        sameIp(fd.receivingIp(), jd.get("receiving-ip"));
        JsonNode mx = jd.get("receiving-mx-hostname");
        assertThat(fd.receivingMxHostname())
            .isEqualTo(mx == null ? null : mx.asText().toLowerCase());
        JsonNode reason = jd.get("failure-reason-code");
        assertThat(fd.failureReasonCode()).isEqualTo(reason == null ? null : reason.asText());
        JsonNode info = jd.get("additional-information");
        assertThat(fd.additionalInformation()).isEqualTo(info == null ? null : info.asText());
      }
    }
  }

  /** Both name the same address (canonical form itself: IpAddressesTest). */
  private static void sameIp(String parsed, JsonNode sent) throws Exception {
    if (sent == null) {
      assertThat(parsed).isNull();
      return;
    }
    assertThat(InetAddress.getByName(parsed)).isEqualTo(InetAddress.getByName(sent.asText()));
    assertThat(parsed).doesNotContainPattern("[A-F]").doesNotContain(":0:0:");
  }

  private static Instant instant(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (RuntimeException e) {
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    }
  }

  private static void sameTransport(ParsedReport report, byte[] raw) throws Exception {
    MimeMessage m =
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    assertThat(report.transport()).isNotNull();
    assertThat(report.transport().tlsReportDomain()).isEqualTo(header(m, "TLS-Report-Domain"));
    assertThat(report.transport().tlsReportSubmitter())
        .isEqualTo(header(m, "TLS-Report-Submitter"));
    assertThat(report.transport().messageId()).isEqualTo(header(m, "Message-ID"));
    assertThat(report.transport().attachmentFilename()).isNotBlank();
    assertThat(report.transport().subjectReportId()).isNotBlank();
    assertThat(m.getSubject()).contains(report.transport().subjectReportId());
  }

  private static String header(MimeMessage m, String name) throws Exception {
    String[] v = m.getHeader(name);
    return v == null ? null : jakarta.mail.internet.MimeUtility.unfold(v[0]).trim();
  }
}

package org.tlsrpt.posture.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.Status;

/** The cross-checks of DANE with MTA-STS and with the failures senders reported. */
class ReportedDaneCheckTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  static Finding finding(String id, Status status, String subject, Map<String, String> facts) {
    return new Finding(id, status, subject, "message", "", facts);
  }

  @Test
  void aDomainWithDaneAndMtaStsGetsBothVerdicts() {
    List<Finding> before =
        List.of(
            finding("policy.mode", Status.OK, "https://mta-sts.x.test", Map.of("mode", "testing")));

    Finding f = ReportedDane.withSts("x.test", 1, 2, before);

    assertThat(f.status()).isEqualTo(Status.OK);
    assertThat(f.message())
        .isEqualTo(
            "both DANE (1 of 2 MX hosts with TLSA records) and MTA-STS (mode testing): senders"
                + " that validate DNSSEC use DANE and skip MTA-STS (RFC 8461 §2), the others use"
                + " MTA-STS; both sets of findings above apply");
    assertThat(ReportedDane.withSts("x.test", 0, 2, before)).isNull();
    assertThat(ReportedDane.withSts("x.test", 1, 2, List.of())).isNull();
  }

  @Test
  void aReportedFailureNoFindingExplainsIsSaidToBeFixedSinceOrIntermittent() {
    List<Finding> findings =
        new ArrayList<>(
            List.of(
                finding("dane.dnssec", Status.OK, "x.test", Map.of("security", "secure")),
                finding("dane.tlsa_match", Status.OK, "mx.x.test", Map.of())));
    ReportedDaneFailures reports =
        (d, hosts, since) ->
            List.of(
                new ReportedDaneFailures.Reported(
                    "Sender", "dnssec-invalid", "mx.x.test", 3, NOW.minusSeconds(86400)));

    List<Finding> out =
        ReportedDane.attach(findings, "x.test", List.of("mx.x.test"), reports, NOW, false);

    assertThat(out.get(1).message()).isEqualTo("message");
    Finding cross = out.getLast();
    assertThat(cross.id()).isEqualTo("cross.reported_dane");
    assertThat(cross.status()).isEqualTo(Status.WARN);
    assertThat(cross.message())
        .endsWith(
            "Sender dnssec-invalid for mx.x.test (3 sessions, last 2026-05-31T00:00:00Z), explained"
                + " by no current finding: fixed since, or intermittent");
  }

  @Test
  void daneRequiredIsExplainedByAnMxHostWithoutTlsaRecords() {
    List<Finding> findings =
        new ArrayList<>(
            List.of(
                finding(
                    "dane.dnssec",
                    Status.OK,
                    "mx.x.test",
                    Map.of("security", "secure", "tlsa_records", "0"))));
    ReportedDaneFailures reports =
        (d, hosts, since) ->
            List.of(
                new ReportedDaneFailures.Reported("Sender", "dane-required", "mx.x.test", 7, NOW));

    List<Finding> out =
        ReportedDane.attach(findings, "x.test", List.of("mx.x.test"), reports, NOW, true);

    assertThat(out.getFirst().message())
        .isEqualTo(
            "message; reported by senders in the last 30 days: Sender dane-required (7 sessions)");
    assertThat(out.getFirst().facts())
        .containsEntry("reported", "Sender dane-required (7 sessions)");
  }

  @Test
  void saysWhenTheStoreIsNotThereOrDoesNotAnswer() {
    List<Finding> quiet =
        ReportedDane.attach(
            new ArrayList<>(),
            "x.test",
            List.of(),
            ReportedDaneFailures.unavailable("no store given (--data-dir)"),
            NOW,
            true);
    assertThat(quiet).isEmpty();

    List<Finding> out =
        ReportedDane.attach(
            new ArrayList<>(),
            "x.test",
            List.of(),
            (d, h, s) -> {
              throw new IllegalStateException("down");
            },
            NOW,
            false);
    assertThat(out.getFirst().status()).isEqualTo(Status.NOT_CHECKED);
    assertThat(out.getFirst().message())
        .isEqualTo("stored reports not checked: the store did not answer (down)");
  }
}

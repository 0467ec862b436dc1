package org.tlsrpt.posture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The _mta-sts (RFC 8461 §3.1) and _smtp._tls (RFC 8460 §3) records, without a network. */
class DnsRecordCheckTest {
  static final String STS = "_mta-sts.example.com";
  static final String RPT = "_smtp._tls.example.com";

  @Test
  void acceptsAnStsRecordIgnoringOtherTxtRecords() {
    Finding f =
        DnsRecordChecks.stsRecord(STS, List.of("google-site-verification=x", "v=STSv1; id=2024A;"));
    assertThat(f.status()).isEqualTo(Status.OK);
    assertThat(f.facts()).containsEntry("policy_id", "2024A");
  }

  @Test
  void refusesAnIdLongerThan32Characters() {
    Finding f = DnsRecordChecks.stsRecord(STS, List.of("v=STSv1; id=" + "a".repeat(33)));
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("is not 1 to 32 letters and digits");
  }

  @Test
  void refusesAnStsRecordWithoutId() {
    Finding f = DnsRecordChecks.stsRecord(STS, List.of("v=STSv1;"));
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("no id= field");
  }

  @Test
  void failsWithoutAnyStsRecord() {
    Finding f = DnsRecordChecks.stsRecord(STS, List.of("v=spf1 -all"));
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).startsWith("no TXT record starting with v=STSv1");
  }

  @Test
  void acceptsSeveralRuaUrisWithSpacesAroundDelimiters() {
    Finding f =
        DnsRecordChecks.tlsrptRecord(
            RPT,
            List.of(
                "v=TLSRPTv1 ;rua=mailto:tls@example.com , https://reports.example.net/v1/tlsrpt"));
    assertThat(f.status()).as(f.message()).isEqualTo(Status.OK);
    assertThat(f.facts())
        .containsEntry("rua", "mailto:tls@example.com,https://reports.example.net/v1/tlsrpt");
  }

  @Test
  void refusesAMailtoWithoutAnAddressAndAMissingRua() {
    assertThat(
            DnsRecordChecks.tlsrptRecord(RPT, List.of("v=TLSRPTv1; rua=mailto:nobody")).message())
        .contains("does not name one e-mail address");
    assertThat(DnsRecordChecks.tlsrptRecord(RPT, List.of("v=TLSRPTv1;")).message())
        .contains("no rua= field");
  }

  @Test
  void failsTwoTlsrptRecords() {
    Finding f =
        DnsRecordChecks.tlsrptRecord(
            RPT,
            List.of(
                "v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"));
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).startsWith("2 TXT records start with v=TLSRPTv1");
  }
}

package org.tlsrpt.posture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6125 DNS-ID matching, overall verdicts and exit codes, without a network. */
class CertificateNameCheckTest {

  @Test
  void matchesExactNamesIgnoringCaseAndATrailingDot() {
    assertThat(CertificateChecks.nameMatches("mx1.example.com", "MX1.example.com.")).isTrue();
    assertThat(CertificateChecks.nameMatches("mx1.example.com", "mx2.example.com")).isFalse();
  }

  @Test
  void aWildcardCoversOneWholeLeftMostLabelOnly() {
    assertThat(CertificateChecks.nameMatches("*.example.com", "mx1.example.com")).isTrue();
    assertThat(CertificateChecks.nameMatches("*.example.com", "a.mx1.example.com")).isFalse();
    assertThat(CertificateChecks.nameMatches("*.example.com", "example.com")).isFalse();
    assertThat(CertificateChecks.nameMatches("mx*.example.com", "mx1.example.com")).isFalse();
    assertThat(CertificateChecks.nameMatches("*.com", "example.com")).isFalse();
  }

  @Test
  void theWorstFindingDecidesAndNotCheckedCountsAsOk() {
    Finding ok = Finding.ok("a", "s", "m");
    Finding skipped = Finding.notChecked("b", "s", "why");
    Finding warn = Finding.warn("c", "s", "m", "r");
    Finding fail = Finding.fail("d", "s", "m", "r");
    Instant t = Instant.EPOCH;

    assertThat(new CheckResult("x.test", t, List.of(ok, skipped)).exitCode()).isZero();
    assertThat(new CheckResult("x.test", t, List.of(skipped)).status()).isEqualTo(Status.OK);
    assertThat(new CheckResult("x.test", t, List.of(ok, warn, skipped)).exitCode()).isEqualTo(1);
    assertThat(new CheckResult("x.test", t, List.of(fail, warn)).exitCode()).isEqualTo(2);
  }

  @Test
  void normalizesDomainsAndRefusesOtherText() {
    assertThat(PostureChecker.normalize("Example.COM.")).isEqualTo("example.com");
    assertThat(PostureChecker.normalize("not a domain")).isNull();
    assertThat(PostureChecker.normalize("localhost")).isNull();
  }
}

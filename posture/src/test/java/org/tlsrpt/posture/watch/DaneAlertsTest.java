package org.tlsrpt.posture.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrpt.posture.CheckResult;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.Status;
import org.tlsrpt.storage.Alert;

/** Which alerts the watch raises for the DANE findings, given the run before. */
class DaneAlertsTest {
  static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  final PostureWatch watch = new PostureWatch(List.of(), null, null, "tlsrpt", null, "http://d/");

  static CheckResult run(Finding... findings) {
    return new CheckResult("x.test", AT, List.of(findings));
  }

  @Test
  void aTlsaMismatchAlertsOnceWhenItStarts() {
    Finding mismatch =
        new Finding(
            "dane.tlsa_match",
            Status.FAIL,
            "mx.x.test",
            "no TLSA record matches",
            "publish",
            Map.of());

    List<Alert> first = watch.alerts(run(mismatch), Map.of("dane.tlsa_match|mx.x.test", "OK"));
    List<Alert> again = watch.alerts(run(mismatch), Map.of("dane.tlsa_match|mx.x.test", "FAIL"));

    assertThat(first).extracting(Alert::rule).containsExactly("posture_dane");
    assertThat(first.getFirst().key()).isEqualTo("x.test|dane.tlsa_match|mx.x.test");
    assertThat(first.getFirst().mxHosts()).containsExactly("mx.x.test");
    assertThat(first.getFirst().message())
        .isEqualTo(
            "x.test: dane.tlsa_match fail for mx.x.test: no TLSA record matches What to do:"
                + " publish");
    assertThat(again).isEmpty();
  }

  @Test
  void bogusDnssecAlertsUnderTheDaneRule() {
    Finding bogus =
        new Finding("dane.dnssec", Status.FAIL, "x.test", "bogus: expired signature", "", Map.of());

    assertThat(watch.alerts(run(bogus), Map.of()))
        .extracting(Alert::rule)
        .containsExactly("posture_dane");
  }

  @Test
  void aSignatureCloseToExpiryAlertsOncePerSignature() {
    Finding soon =
        new Finding(
            "dane.signature_expiry",
            Status.WARN,
            "x.test",
            "the earliest DNSSEC signature expires in 1 days",
            "re-sign",
            Map.of("expires", "2026-06-02T00:00:00Z"));

    List<Alert> a = watch.alerts(run(soon), Map.of());

    assertThat(a).extracting(Alert::rule).containsExactly("posture_dnssec_expiry");
    assertThat(a.getFirst().key()).isEqualTo("x.test|dane.signature_expiry|2026-06-02T00:00:00Z");
    Finding fine =
        new Finding("dane.signature_expiry", Status.OK, "x.test", "in 30 days", "", Map.of());
    assertThat(watch.alerts(run(fine), Map.of())).isEmpty();
  }
}

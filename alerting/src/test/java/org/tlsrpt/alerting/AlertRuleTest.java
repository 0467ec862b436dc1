package org.tlsrpt.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AlertRuleTest {

  @Test
  void keepsTheNamesTheAlertHistoryAndTheWebhooksCarry() {
    assertThat(Arrays.stream(AlertRule.values()).map(AlertRule::wire))
        .containsExactly(
            "enforce_failures",
            "failure_rate",
            "reporter_silent",
            "rejected_spike",
            "posture_fail",
            "posture_certificate_expiry",
            "posture_drift",
            "posture_dane",
            "posture_dnssec_expiry");
  }

  @Test
  void sendsOncePerKeyTheRulesWhoseKeyNamesItsWindow() {
    assertThat(Arrays.stream(AlertRule.values()).filter(AlertRule::oncePerKey))
        .containsExactlyInAnyOrder(
            AlertRule.FAILURE_RATE,
            AlertRule.REPORTER_SILENT,
            AlertRule.POSTURE_CERTIFICATE_EXPIRY,
            AlertRule.POSTURE_DNSSEC_EXPIRY);
  }
}

package org.tlsrpt.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Settings;

class AlertSettingsTest {

  private static AlertSettings from(Map<String, String> env) {
    return AlertSettings.from(Settings.load(null, env, AlertSettings.ALL));
  }

  @Test
  void theDefaultsSendNothingAndRunTheScheduledRulesEveryFiveMinutes() {
    AlertSettings a = from(Map.of());
    assertThat(a.webhookUrl()).isNull();
    assertThat(a.email()).isNull();
    assertThat(a.checkEvery()).isEqualTo(Duration.ofMinutes(5));
    assertThat(a.cooldown()).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void refusesAWebhookThatIsNotHttpNamingTheKey() {
    assertThatThrownBy(() -> from(Map.of("TLSRPT_ALERTS_WEBHOOK_URL", "ftp://hooks.example/")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("alerts.webhook_url (TLSRPT_ALERTS_WEBHOOK_URL)")
        .hasMessageContaining("an http or https URL");
  }

  @Test
  void refusesAnUnknownStartTlsModeNamingTheKey() {
    assertThatThrownBy(
            () ->
                from(
                    Map.of(
                        "TLSRPT_ALERTS_EMAIL_TO", "ops@example.com",
                        "TLSRPT_ALERTS_SMTP_STARTTLS", "sometimes")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("alerts.smtp_starttls")
        .hasMessageContaining("required, optional or off");
  }

  @Test
  void keepsTheSmtpPasswordOutOfItsText() {
    AlertSettings a =
        from(
            Map.of(
                "TLSRPT_ALERTS_EMAIL_TO", "ops@example.com",
                "TLSRPT_ALERTS_SMTP_PASSWORD", "hunter2"));
    assertThat(a.email().password().value()).isEqualTo("hunter2");
    assertThat(a.toString()).doesNotContain("hunter2");
  }

  @Test
  void linksToServesAddressUnlessADashboardUrlIsSet() {
    InetSocketAddress any = new InetSocketAddress("0.0.0.0", 8080);
    assertThat(from(Map.of()).dashboardLink(any)).isEqualTo("http://127.0.0.1:8080/");
    assertThat(from(Map.of()).dashboardLink(null)).isEmpty();
    assertThat(
            from(Map.of("TLSRPT_ALERTS_DASHBOARD_URL", "https://tlsrpt.example/"))
                .dashboardLink(any))
        .isEqualTo("https://tlsrpt.example/");
  }
}

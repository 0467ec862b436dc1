package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.demo.DemoData;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.testkit.FreePorts;

/**
 * The alerting and the dashboard together: the demo month's enforce-mode failures raise an alert
 * that the dashboard's alert history shows (no channel configured, so it is only recorded).
 */
class DemoAlertsTest {
  private static final String MONTH = "since=31d";

  @Test
  void alertsFromTheDemoMonthShowInTheHistory(@TempDir Path own) throws Exception {
    int port = FreePorts.tcp();
    Settings s = WebDashboardTest.settings(own, port);
    assertThat(DemoData.loadIfEmpty(AllSettings.from(s, null), Clock.systemUTC()).loaded())
        .isTrue();
    try (TlsrptServer alerting = TlsrptServer.start(s, null)) {
      java.util.List<org.tlsrpt.storage.Alert> sent = alerting.alerts().check();
      // the demo's enforce failures of the last two days: Microsoft's invalid WebPKI on mx1
      assertThat(sent).extracting(org.tlsrpt.storage.Alert::rule).contains("enforce_failures");
      HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/api/alerts?" + MONTH))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode rows =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("rows");
      assertThat(rows).hasSize(sent.size());
      JsonNode ms = null;
      for (JsonNode row : rows) {
        if (row.get("organization").asText().equals("Microsoft Corporation")) {
          ms = row;
        }
      }
      assertThat(ms).isNotNull();
      assertThat(ms.get("rule").asText()).isEqualTo("enforce_failures");
      assertThat(ms.get("policy_domain").asText()).isEqualTo("example.com");
      assertThat(ms.get("mode").asText()).isEqualTo("enforce");
      assertThat(ms.get("result_types").get(0).asText()).isEqualTo("sts-webpki-invalid");
      assertThat(ms.get("failed_sessions").asLong()).isEqualTo(3);
      assertThat(ms.get("delivery").asText()).isEqualTo("no channel configured");
    }
  }
}

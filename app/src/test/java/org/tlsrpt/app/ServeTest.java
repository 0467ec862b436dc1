package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.testkit.FreePorts;

/**
 * {@code tlsrpt serve} end to end: a report by SMTP (swaks) and the same report by HTTPS POST count
 * once in {@code /api/summary}; {@code /health} and {@code /metrics} answer.
 */
class ServeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Settings settings(int http, int smtp) {
    Map<String, String> env = new HashMap<>();
    env.put("TLSRPT_CHDB_LIBRARY", System.getenv("TLSRPT_CHDB_LIBRARY"));
    env.put("TLSRPT_DATA_DIR", dir.resolve("data").toString());
    env.put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + http);
    env.put("TLSRPT_SMTP_LISTEN", "127.0.0.1:" + smtp);
    env.put("TLSRPT_SMTP_RECIPIENTS", "tlsrpt@reports.test");
    env.put("TLSRPT_DKIM_MODE", "off");
    return Settings.load(null, env, AllSettings.ALL);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void countsTheSameReportBySmtpAndHttpsOnceAndAnswersHealthAndMetrics() throws Exception {
    int http = FreePorts.tcp();
    int smtp = FreePorts.tcp();
    byte[] json = Files.readAllBytes(SamplesDir.get().resolve("parsedmarc__rfc8460.json"));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
      g.write(json);
    }
    Path mail = dir.resolve("report.eml");
    Files.writeString(
        mail,
        "From: tlsrpt@company-x.example\r\nSubject: Report Domain: company-y.example\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: application/tlsrpt+json\r\n\r\n"
            + new String(json, StandardCharsets.UTF_8));
    try (TlsrptServer server = TlsrptServer.start(settings(http, smtp), null)) {
      assertThat(server.httpAddress().getPort()).isEqualTo(http);
      assertThat(server.smtpPort()).isEqualTo(smtp);
      String base = "http://127.0.0.1:" + http;
      assertThat(get(base + "/health").body()).contains("\"status\":\"ok\"");

      Process swaks =
          new ProcessBuilder(
                  List.of(
                      "swaks",
                      "--server",
                      "127.0.0.1",
                      "--port",
                      Integer.toString(smtp),
                      "--from",
                      "tlsrpt@company-x.example",
                      "--to",
                      "tlsrpt@reports.test",
                      "--data",
                      "@" + mail,
                      "--tls"))
              .redirectErrorStream(true)
              .start();
      String transcript = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(swaks.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(swaks.exitValue()).as(transcript).isZero();

      HttpResponse<String> post =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/v1/tlsrpt"))
                      .header("Content-Type", "application/tlsrpt+gzip")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).as(post.body()).isEqualTo(201);

      // answered once spooled (fsync'd); in ClickHouse a moment later
      assertThat(server.awaitStored(java.time.Duration.ofSeconds(30))).isTrue();
      JsonNode summary = JSON.readTree(get(base + "/api/summary?since=20000d&by=org").body());
      assertThat(summary.get("reports").asLong()).isEqualTo(1);
      assertThat(summary.get("successful_sessions").asLong()).isEqualTo(5326);
      assertThat(summary.get("failed_sessions").asLong()).isEqualTo(303);
      assertThat(get(base + "/api/summary?by=nonsense").statusCode()).isEqualTo(400);

      // the store belongs to serve: tlsrpt summary asks its API instead
      CliRun cli =
          CliRun.of(
              "summary",
              "--data-dir",
              dir.resolve("data").toString(),
              "--since",
              "20000d",
              "--format",
              "json");
      assertThat(cli.exit()).as(cli.err()).isZero();
      assertThat(cli.err()).contains("belongs to tlsrpt serve").contains("asked its API");
      assertThat(JSON.readTree(cli.out()).get("reports").asLong()).isEqualTo(1);

      String metrics = get(base + "/metrics").body();
      assertThat(metrics)
          .contains("tlsrpt_inputs_total{outcome=\"accepted\",source=\"smtp\"} 1.0")
          // the same report again, by HTTPS: stored once, counted apart
          .contains("tlsrpt_inputs_total{outcome=\"duplicate\",source=\"https\"} 1.0")
          .doesNotContain("outcome=\"accepted\",source=\"https\"")
          .contains("tlsrpt_http_report_responses_total{status=\"201\"} 1.0");
    }
    assertThat(dir.resolve("data").resolve(TlsrptServer.SERVE_FILE)).doesNotExist();
  }
}

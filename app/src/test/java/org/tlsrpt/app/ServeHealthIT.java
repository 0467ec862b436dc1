package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.testkit.DovecotServer;
import org.tlsrpt.testkit.FreePorts;

/**
 * {@code /health} of {@code tlsrpt serve} tells the truth about an IMAP mailbox whose login a real
 * Dovecot refuses again and again: the mailbox is listed as failing, with the server's answer and
 * since when; {@code /health} answers 503 once that lasts {@code health.failing_after_seconds},
 * {@code degraded} with 200 before; {@code /health/live} answers 200 throughout.
 */
class ServeHealthIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WRONG_PASSWORD = "not-the-password-0815";

  @TempDir Path dir;
  private DovecotServer dovecot;
  private TlsrptServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startDovecot() throws Exception {
    dovecot = DovecotServer.start(dir);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    dovecot.close();
  }

  private TlsrptServer serve(String failingAfterSeconds) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("TLSRPT_CHDB_LIBRARY", System.getenv("TLSRPT_CHDB_LIBRARY"));
    env.put("TLSRPT_DATA_DIR", dir.resolve("data").toString());
    env.put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + FreePorts.tcp());
    env.put("TLSRPT_SMTP_LISTEN", "127.0.0.1:0"); // off
    env.put("TLSRPT_DKIM_MODE", "off");
    env.put("TLSRPT_IMAP_HOST", "127.0.0.1");
    env.put("TLSRPT_IMAP_PORT", Integer.toString(dovecot.imapsPort()));
    env.put("TLSRPT_IMAP_USER", DovecotServer.USER);
    env.put("TLSRPT_IMAP_PASSWORD", WRONG_PASSWORD);
    env.put("TLSRPT_IMAP_TRUSTSTORE", dovecot.trustStore().toString());
    env.put("TLSRPT_IMAP_TRUSTSTORE_PASSWORD", DovecotServer.TRUST_PASSWORD);
    env.put("TLSRPT_IMAP_MAX_BACKOFF_SECONDS", "1");
    env.put("TLSRPT_HEALTH_FAILING_AFTER_SECONDS", failingAfterSeconds);
    server = TlsrptServer.start(Settings.load(null, env, AllSettings.ALL), null);
    return server;
  }

  @Test
  void aMailboxWhoseLoginFailsMakesHealth503OnceItLastsTheSettingWhileLiveStays200()
      throws Exception {
    serve("0");
    HttpResponse<String> health = awaitImap("failing");

    assertThat(health.statusCode()).isEqualTo(503);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.path("status").asText()).isEqualTo("unavailable");
    assertThat(body.path("storage").asText()).isEqualTo("ok");
    JsonNode imap = imap(body);
    assertThat(imap.path("name").asText())
        .isEqualTo(DovecotServer.USER + "@127.0.0.1:" + dovecot.imapsPort() + "/INBOX");
    assertThat(imap.path("last_error").asText())
        .contains("AuthenticationFailedException")
        .contains("Authentication failed");
    assertThat(Instant.parse(imap.path("failing_since").asText())).isBeforeOrEqualTo(Instant.now());
    assertThat(health.body()).doesNotContain(WRONG_PASSWORD);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/health/live").body()).contains("\"status\":\"alive\"");
  }

  @Test
  void aMailboxFailingForLessThanTheSettingIsDegradedWith200() throws Exception {
    serve("3600");
    HttpResponse<String> health = awaitImap("failing");

    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.path("status").asText()).isEqualTo("degraded");
    assertThat(body.path("failing_after_seconds").asLong()).isEqualTo(3600);
    assertThat(body.path("sources").findValuesAsText("source"))
        .contains("storage", "pipeline", "spool", "imap");
  }

  private static JsonNode imap(JsonNode body) {
    for (JsonNode s : body.path("sources")) {
      if (s.path("source").asText().equals("imap")) {
        return s;
      }
    }
    throw new AssertionError("no imap source in " + body);
  }

  private HttpResponse<String> awaitImap(String state) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r = get("/health");
      if (imap(JSON.readTree(r.body())).path("state").asText().equals(state)) {
        return r;
      }
      if (System.nanoTime() > end) {
        fail("the IMAP source is not " + state + " within 60 s: " + r.body());
      }
      Thread.sleep(50);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI base = URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + path);
    return http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
  }
}

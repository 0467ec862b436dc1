package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.testkit.DovecotServer;
import org.tlsrpt.testkit.FreePorts;
import org.tlsrpt.testkit.LocalOAuthServer;
import org.tlsrpt.testkit.RepoLayout;

/**
 * {@code tlsrpt serve} configured as an operator would, through {@code TLSRPT_IMAP_*} variables,
 * reads a real Dovecot that accepts OAuth2 tokens only, with the client secret in a file ({@code
 * _FILE}) and tokens from a loopback token endpoint; the spool (the default pipeline) stores the
 * reports; a re-delivered report shows as a duplicate in {@code /metrics}; {@code /health} shows
 * the mailbox working.
 */
class ServeImapIT {
  private static final String SECRET = "serve-client-secret-4711";

  @TempDir Path dir;

  @Test
  void readsAnOAuth2MailboxAndCountsARedeliveredReportAsADuplicate() throws Exception {
    try (LocalOAuthServer idp = LocalOAuthServer.start(DovecotServer.USER);
        DovecotServer dovecot = DovecotServer.startWithOAuth2(dir, idp.introspectionUrl())) {
      idp.acceptClientSecret("serve-client", SECRET, "imap.test/.default");
      Path secret = dir.resolve("client-secret");
      Files.writeString(secret, SECRET + "\n");
      byte[] report = Files.readAllBytes(RepoLayout.sample("isseis__tlsrpt_success_google_1.eml"));
      dovecot.deliver(report);

      Map<String, String> env = new HashMap<>();
      env.put("TLSRPT_CHDB_LIBRARY", System.getenv("TLSRPT_CHDB_LIBRARY"));
      env.put("TLSRPT_DATA_DIR", dir.resolve("data").toString());
      int port = FreePorts.tcp();
      env.put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + port);
      env.put("TLSRPT_SMTP_LISTEN", "127.0.0.1:0"); // off
      env.put("TLSRPT_DKIM_MODE", "off");
      env.put("TLSRPT_IMAP_HOST", "127.0.0.1");
      env.put("TLSRPT_IMAP_PORT", Integer.toString(dovecot.imapsPort()));
      env.put("TLSRPT_IMAP_USER", DovecotServer.USER);
      env.put("TLSRPT_IMAP_TRUSTSTORE", dovecot.trustStore().toString());
      env.put("TLSRPT_IMAP_TRUSTSTORE_PASSWORD", DovecotServer.TRUST_PASSWORD);
      env.put("TLSRPT_IMAP_AUTH", "oauth2");
      env.put("TLSRPT_IMAP_OAUTH2_PROVIDER", "other");
      env.put("TLSRPT_IMAP_OAUTH2_TOKEN_URL", idp.tokenUrl().toString());
      env.put("TLSRPT_IMAP_OAUTH2_SCOPE", "imap.test/.default");
      env.put("TLSRPT_IMAP_OAUTH2_CLIENT_ID", "serve-client");
      env.put("TLSRPT_IMAP_OAUTH2_CLIENT_SECRET_FILE", secret.toString());
      try (TlsrptServer server =
          TlsrptServer.start(Settings.load(null, env, AllSettings.ALL), null)) {
        String base = "http://127.0.0.1:" + server.httpAddress().getPort();
        await(() -> dovecot.count("processed") == 1, "the report moved to processed");
        dovecot.deliver(report); // delivered again
        await(() -> dovecot.count("processed") == 2, "the re-delivery moved to processed");
        await(
            () ->
                get(base + "/metrics")
                    .contains("tlsrpt_inputs_total{outcome=\"duplicate\",source=\"imap\"} 1.0"),
            "the re-delivery counted as a duplicate");

        String metrics = get(base + "/metrics");
        assertThat(metrics)
            .contains("tlsrpt_inputs_total{outcome=\"accepted\",source=\"imap\"} 1.0")
            .contains("tlsrpt_imap_messages_total{outcome=\"processed\"} 2.0");
        String health = get(base + "/health");
        assertThat(health).contains("\"status\":\"ok\"").contains("\"source\":\"imap\"");
        assertThat(health).doesNotContain(SECRET);
        assertThat(dovecot.logs()).contains("method=XOAUTH2");
      }
    }
  }

  private static String get(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void await(Check done, String what) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.ok()) {
      if (System.nanoTime() > end) {
        fail("not within 60 s: " + what);
      }
      Thread.sleep(50);
    }
  }
}

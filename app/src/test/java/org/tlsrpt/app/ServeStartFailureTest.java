package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.testkit.FreePorts;

/**
 * A start of {@code tlsrpt serve} that fails part-way closes what it had started: with a listener's
 * port taken it throws, and leaves no thread, port, store lock or spool lock behind, so a second
 * start on the same data directory and ports succeeds.
 */
class ServeStartFailureTest {
  @TempDir Path dir;

  private Settings settings(int http, int smtp, int dns) {
    Map<String, String> env = new HashMap<>();
    env.put("TLSRPT_CHDB_LIBRARY", System.getenv("TLSRPT_CHDB_LIBRARY"));
    env.put("TLSRPT_DATA_DIR", dir.resolve("data").toString());
    env.put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + http);
    env.put("TLSRPT_SMTP_LISTEN", "127.0.0.1:" + smtp);
    env.put("TLSRPT_DKIM_MODE", "off");
    // the posture watch runs from the start too: its first check asks a DNS server that is not
    // there
    env.put("TLSRPT_CHECK_DOMAINS", "example.test");
    env.put("TLSRPT_CHECK_DNS_SERVER", "127.0.0.1:" + dns);
    env.put("TLSRPT_CHECK_TIMEOUT_SECONDS", "1");
    return Settings.load(null, env, AllSettings.ALL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"smtp", "http"})
  void aListenerPortInUseFailsTheStartAndLeavesNothingBehind(String taken) throws Exception {
    int http = FreePorts.tcp();
    int smtp = FreePorts.tcp();
    Settings s = settings(http, smtp, FreePorts.tcp());
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (ServerSocket busy =
        new ServerSocket(
            taken.equals("smtp") ? smtp : http, 50, InetAddress.getLoopbackAddress())) {
      assertThat(busy.isBound()).isTrue();
      assertThatThrownBy(() -> TlsrptServer.start(s, null))
          .satisfies(e -> assertThat(rootCause(e)).isInstanceOf(BindException.class));
    }
    assertThat(threadsLeft(before)).as("threads the failed start left running").isEmpty();
    for (int port : List.of(http, smtp)) {
      new ServerSocket(port, 50, InetAddress.getLoopbackAddress()).close(); // free again
    }

    try (TlsrptServer server = TlsrptServer.start(s, null)) { // the store and spool are free
      assertThat(server.httpAddress().getPort()).isEqualTo(http);
      assertThat(server.smtpPort()).isEqualTo(smtp);
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).contains("\"status\":\"ok\"");
    }
  }

  private static Throwable rootCause(Throwable e) {
    return e.getCause() == null ? e : rootCause(e.getCause());
  }

  /** Threads started since {@code before} that are still alive after a few seconds. */
  private static List<String> threadsLeft(Set<Thread> before) throws InterruptedException {
    List<String> left = List.of();
    for (int i = 0; i < 100; i++) {
      left =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.isAlive() && !before.contains(t))
              // shared threads are not the server's to stop: the JDK's pool of virtual threads and
              // common pool, its reaper of keytool (which made the STARTTLS certificate), and
              // dnsjava's selector
              .filter(
                  t ->
                      !t.getName().startsWith("ForkJoinPool")
                          && !t.getName().equals("process reaper")
                          && !t.getName().startsWith("dnsjava"))
              .map(Thread::getName)
              .sorted()
              .collect(Collectors.toList());
      if (left.isEmpty()) {
        return left;
      }
      Thread.sleep(100);
    }
    return left;
  }
}

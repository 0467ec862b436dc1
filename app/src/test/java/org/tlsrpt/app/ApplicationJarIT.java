package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.testkit.FreePorts;

/**
 * The application jar as the {@code ./tlsrpt} launcher and the Docker image run it (not the test
 * class path): {@code serve --demo} starts, loads the demo, answers {@code /health} and the
 * dashboard's API, and stops on SIGTERM. A dependency missing from the jar fails here.
 */
class ApplicationJarIT {
  @TempDir Path dir;

  @Test
  void theJarServesTheDemoAndStopsOnSigterm() throws Exception {
    Path jar = Path.of("target", "tlsrpt.jar").toAbsolutePath();
    assertThat(jar).as("the packaged application (mvn package runs before the ITs)").exists();
    int[] ports = FreePorts.tcp(2);
    int http = ports[0];
    int smtp = ports[1];
    Path log = dir.resolve("serve.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-jar",
                    jar.toString(),
                    "serve",
                    "--demo",
                    "--data-dir",
                    dir.resolve("data").toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + http);
    pb.environment().put("TLSRPT_SMTP_LISTEN", "127.0.0.1:" + smtp);
    Process serve = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.readString(log).contains("SMTP  127.0.0.1:" + smtp)
          && serve.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(serve.isAlive()).as("serve exited: %s", Files.readString(log)).isTrue();
      assertThat(Files.readString(log)).contains("loaded demo data");
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + http;
      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> overview =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/overview?since=31d")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(overview.statusCode()).isEqualTo(200);
      assertThat(overview.body()).contains("\"reports\":330");
      HttpResponse<String> page =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
    } finally {
      serve.destroy(); // SIGTERM
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(serve.exitValue()).as(Files.readString(log)).isEqualTo(143);
  }
}

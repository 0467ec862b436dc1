package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.testkit.FreePorts;

/**
 * {@code tlsrpt serve} as its own process: it prints where it listens, accepts a report, and on
 * SIGTERM stops cleanly with the report stored (the spool loaded before the store closes).
 */
class ServeProcessTest {
  @TempDir Path dir;

  @Test
  void stopsCleanlyOnSigtermWithWhatItAcceptedStored() throws Exception {
    int[] ports = FreePorts.tcp(2);
    int http = ports[0];
    int smtp = ports[1];
    Path data = dir.resolve("data");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "org.tlsrpt.app.Main",
                    "serve",
                    "--data-dir",
                    data.toString()))
            .redirectErrorStream(true);
    pb.environment().put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + http);
    pb.environment().put("TLSRPT_SMTP_LISTEN", "127.0.0.1:" + smtp);
    pb.environment().put("TLSRPT_DKIM_MODE", "off");
    Process serve = pb.start();
    StringBuffer seen = new StringBuffer();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader out =
                      new BufferedReader(
                          new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                      seen.append(line).append('\n');
                    }
                  } catch (java.io.IOException e) {
                    seen.append("(output closed: ").append(e.getMessage()).append(")\n");
                  }
                });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!seen.toString().contains("SMTP  127.0.0.1:" + smtp) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(seen.toString())
        .contains("HTTP  http://127.0.0.1:" + http)
        .contains("SMTP  127.0.0.1:" + smtp);

    HttpResponse<String> post =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/v1/tlsrpt"))
                    .header("Content-Type", "application/tlsrpt+json")
                    .POST(
                        HttpRequest.BodyPublishers.ofByteArray(
                            Files.readAllBytes(
                                SamplesDir.get().resolve("parsedmarc__mail.ru.json"))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(201);

    serve.toHandle().destroy(); // SIGTERM, keeping our end of its output open
    assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);
    // 128 + 15: the JVM's status after SIGTERM once the shutdown hooks have run
    assertThat(serve.exitValue()).as(seen.toString()).isEqualTo(143);
    assertThat(seen.toString()).contains("stopping (storing what was accepted)");
    assertThat(data.resolve("serve.json")).doesNotExist();

    CliRun s =
        CliRun.of(
            "summary", "--data-dir", data.toString(), "--since", "20000d", "--format", "json");
    assertThat(s.exit()).as(s.err()).isZero();
    assertThat(s.out()).contains("\"reports\":1");
  }
}

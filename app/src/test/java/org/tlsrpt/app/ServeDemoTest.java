package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.testkit.FreePorts;

/**
 * {@code tlsrpt serve --demo} as its own process, started twice on one data directory: the first
 * start loads the demo data and says so, the second finds reports and loads nothing.
 */
class ServeDemoTest {
  @TempDir Path dir;

  /** Runs serve --demo until its dashboard answers, reads the overview, stops it; its output. */
  private String serveOnce(Path data, StringBuilder overview) throws Exception {
    int http = FreePorts.tcp();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "org.tlsrpt.app.Main",
                    "serve",
                    "--demo",
                    "--data-dir",
                    data.toString()))
            .redirectErrorStream(true);
    pb.environment().put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + http);
    pb.environment().put("TLSRPT_SMTP_LISTEN", "127.0.0.1:0");
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
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!seen.toString().contains("(the dashboard)") && System.nanoTime() < deadline) {
        assertThat(serve.isAlive()).as(seen.toString()).isTrue();
        Thread.sleep(50);
      }
      assertThat(seen.toString()).contains("Web   http://127.0.0.1:" + http + "/  (the dashboard)");
      HttpResponse<String> o =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + http + "/api/overview?since=36500d"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(o.statusCode()).as(o.body()).isEqualTo(200);
      overview.append(o.body());
    } finally {
      serve.toHandle().destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
    }
    return seen.toString();
  }

  @Test
  void loadsTheDemoIntoAnEmptyStoreOnceAndNeverAgain() throws Exception {
    Path data = dir.resolve("data");
    StringBuilder first = new StringBuilder();
    String out = serveOnce(data, first);
    assertThat(out)
        .contains(
            "tlsrpt serve --demo: the store held no report; loaded demo data (source \"demo\")")
        .contains("10 bundled sample reports")
        .contains("330 reports generated from them")
        .contains("stored: 339 reports accepted, 1 duplicates, 5 inputs rejected")
        .contains("1 quarantined");
    assertThat(first.toString()).contains("\"reports\":339").contains("\"demo_reports\":339");

    StringBuilder second = new StringBuilder();
    String again = serveOnce(data, second);
    assertThat(again)
        .contains("the store already holds 339 reports; demo data not loaded")
        .doesNotContain("loaded demo data");
    assertThat(second.toString()).contains("\"reports\":339");
  }
}

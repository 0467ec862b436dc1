package org.tlsrpt.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tlsrpt serve} in a process of its own, for {@code bench serve --server-process}: the
 * clients' work stays out of the server's process, and the server's CPU time can be read from the
 * operating system ({@link ProcessHandle.Info#totalCpuDuration()}).
 */
final class ServeProcess implements ServerUnderTest {
  private static final Pattern BACKLOG =
      Pattern.compile("(?m)^tlsrpt_spool_backlog_bytes ([0-9.eE+]+)$");

  private final Process process;
  private final URI metrics;
  private final HttpClient http;

  private ServeProcess(Process process, URI metrics, HttpClient http) {
    this.process = process;
    this.metrics = metrics;
    this.http = http;
  }

  /**
   * Starts the server with {@code env} as its environment and waits until its SMTP and HTTPS ports
   * both take connections.
   *
   * @param jfr a JFR recording file for the server alone, or null
   */
  static ServeProcess start(
      Map<String, String> env, int smtpPort, int httpPort, HttpClient http, Path log, Path jfr)
      throws IOException, InterruptedException {
    List<String> cmd =
        ChildJvm.command(
            jfr == null
                ? List.of()
                : List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile"),
            "serve");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    try {
      for (int port : new int[] {smtpPort, httpPort}) {
        while (!accepts(port)) {
          if (!p.isAlive() || System.nanoTime() > deadline) {
            throw new IOException("tlsrpt serve did not start: see " + log);
          }
          Thread.sleep(100);
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
    return new ServeProcess(p, URI.create("https://localhost:" + httpPort + "/metrics"), http);
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public String describe() {
    return "in process " + process.pid();
  }

  /** CPU time the server process has used so far, all its threads together. */
  @Override
  public Duration cpu() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Waits until the spool is loaded into ClickHouse (its /metrics backlog is 0). */
  @Override
  public boolean awaitStored(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String body =
          http.send(
                  HttpRequest.newBuilder(metrics).GET().build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = BACKLOG.matcher(body);
      if (m.find() && Double.parseDouble(m.group(1)) == 0) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Stops the server as a service manager would (SIGTERM) and waits for it to exit. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

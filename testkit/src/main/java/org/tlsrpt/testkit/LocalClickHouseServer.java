package org.tlsrpt.testkit;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real clickhouse-server (Debian's 18.16, installed by .ci/run) on loopback ports, with its own
 * config and data under a temporary directory, that a test can stop and start again.
 */
public final class LocalClickHouseServer {
  public static final String BINARY = "/usr/sbin/clickhouse-server";
  public static final String USER = "tlsrpt";
  public static final String PASSWORD = "s3cret-for-tests";

  private final Path dir;
  private final int httpPort;
  private Process process;

  public LocalClickHouseServer(Path dir) throws IOException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(
          BINARY + " is missing: install clickhouse-server (.ci/run does)");
    }
    this.dir = dir;
    int[] ports = FreePorts.tcp(2);
    this.httpPort = ports[0];
    int tcpPort = ports[1];
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(
        dir.resolve("config.xml"),
        "<yandex>\n"
            + "  <logger><level>warning</level><log>"
            + dir.resolve("server.log")
            + "</log>"
            + "<errorlog>"
            + dir.resolve("error.log")
            + "</errorlog></logger>\n"
            + "  <http_port>"
            + httpPort
            + "</http_port>\n"
            + "  <tcp_port>"
            + tcpPort
            + "</tcp_port>\n"
            + "  <listen_host>127.0.0.1</listen_host>\n"
            + "  <path>"
            + dir.resolve("data")
            + "/</path>\n"
            + "  <tmp_path>"
            + dir.resolve("tmp")
            + "/</tmp_path>\n"
            + "  <users_config>"
            + dir.resolve("users.xml")
            + "</users_config>\n"
            + "  <default_profile>default</default_profile>\n"
            + "  <default_database>default</default_database>\n"
            + "  <mark_cache_size>536870912</mark_cache_size>\n"
            + "</yandex>\n");
    Files.writeString(
        dir.resolve("users.xml"),
        "<yandex><profiles><default></default></profiles><users><"
            + USER
            + "><password>"
            + PASSWORD
            + "</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile>"
            + "<quota>default</quota></"
            + USER
            + "></users><quotas><default></default></quotas></yandex>\n");
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public void start() throws IOException, InterruptedException {
    process =
        new ProcessBuilder(BINARY, "--config-file=" + dir.resolve("config.xml"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "clickhouse-server exited: " + Files.readString(dir.resolve("stdout.log")));
      }
      if (ping()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "clickhouse-server did not answer on " + url() + " within 30 s");
  }

  public void stop() throws InterruptedException {
    ChildProcesses.stop(process, Duration.ofSeconds(3));
  }

  private boolean ping() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(url() + "/ping").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(500);
      return c.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}

package org.tlsrpt.app.check;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * An authoritative test zone served by Debian's dnsmasq (package dnsmasq-base, which .ci/run
 * installs) on a loopback port; any other name under the zone is NXDOMAIN. Records are added before
 * {@link #start}. A missing dnsmasq fails the test with a message rather than skipping it.
 */
final class TestZone implements AutoCloseable {
  static final String BINARY = "/usr/sbin/dnsmasq";

  private final Path dir;
  private final int port;
  private final List<String> lines = new ArrayList<>();
  private Process process;

  TestZone(Path dir, String zone) throws IOException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(
          BINARY + " is missing: install dnsmasq-base (.ci/run does) to run the check tests");
    }
    this.dir = dir;
    this.port = freePort();
    lines.add("local=/" + zone + "/");
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /** A TXT record made of these strings (one record; the strings are joined by readers). */
  TestZone txt(String name, String... strings) {
    StringBuilder b = new StringBuilder("txt-record=").append(name);
    for (String s : strings) {
      b.append(",\"").append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    lines.add(b.toString());
    return this;
  }

  TestZone mx(String domain, String host, int preference) {
    lines.add("mx-host=" + domain + "," + host + "," + preference);
    return this;
  }

  TestZone host(String name, String address) {
    lines.add("host-record=" + name + "," + address);
    return this;
  }

  /**
   * Forwards queries for {@code name} and below to another server (e.g. one that never answers).
   */
  TestZone forward(String name, String server) {
    lines.add("server=/" + name + "/" + server);
    return this;
  }

  TestZone start() throws IOException, InterruptedException {
    StringBuilder conf = new StringBuilder();
    conf.append("port=").append(port).append('\n');
    conf.append("listen-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\n");
    conf.append("log-queries\nlog-facility=-\n");
    lines.forEach(l -> conf.append(l).append('\n'));
    Path file = dir.resolve("dnsmasq-" + port + ".conf");
    Files.writeString(file, conf);
    Path log = dir.resolve("dnsmasq-" + port + ".log");
    process =
        new ProcessBuilder(BINARY, "--keep-in-foreground", "--conf-file=" + file, "--pid-file=")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    SimpleResolver probe = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    probe.setTimeout(Duration.ofMillis(200));
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("probe.invalid."), Type.TXT, DClass.IN));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("dnsmasq exited: " + Files.readString(log));
      }
      try {
        probe.send(query);
        return this;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("dnsmasq did not answer on " + address() + " within 10 s");
  }

  @Override
  public void close() throws IOException {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping dnsmasq", e);
      }
    }
  }

  /** A loopback port free over UDP and TCP now. */
  static int freePort() throws IOException {
    for (int attempt = 0; ; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
          ServerSocket tcp =
              new ServerSocket(udp.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
        return tcp.getLocalPort();
      } catch (IOException e) {
        if (attempt == 20) {
          throw e;
        }
      }
    }
  }
}

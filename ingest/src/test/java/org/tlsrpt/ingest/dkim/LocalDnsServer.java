package org.tlsrpt.ingest.dkim;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server for the tests: Debian's dnsmasq (package dnsmasq-base, installed by .ci/run) on
 * a loopback port, answering for the zones it is given and with NXDOMAIN for any other name in
 * them. dnsmasq does not re-read its configuration, so a test changes records by restarting it.
 */
final class LocalDnsServer {
  static final String BINARY = "/usr/sbin/dnsmasq";

  private final Path dir;
  private final int port;
  private Process process;

  LocalDnsServer(Path dir, int port) {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(BINARY + " is missing: install dnsmasq-base (.ci/run does)");
    }
    this.dir = dir;
    this.port = port;
  }

  /** host:port, as {@link DkimSettings#resolver()} takes it. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /**
   * Starts dnsmasq and waits until it answers.
   *
   * @param zones the domains it answers for (NXDOMAIN for names it has no record of)
   * @param txt TXT records: owner name to the record's strings
   * @param extraLines more dnsmasq.conf lines (e.g. {@code server=/name/127.0.0.1#port})
   */
  void start(List<String> zones, Map<String, List<String>> txt, List<String> extraLines)
      throws IOException, InterruptedException {
    StringBuilder conf = new StringBuilder();
    conf.append("port=").append(port).append('\n');
    conf.append("listen-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\n");
    conf.append("log-queries\nlog-facility=-\n");
    for (String zone : zones) {
      conf.append("local=/").append(zone).append("/\n");
    }
    txt.forEach(
        (name, strings) -> {
          conf.append("txt-record=").append(name);
          for (String s : strings) {
            conf.append(",\"").append(s).append('"');
          }
          conf.append('\n');
        });
    extraLines.forEach(l -> conf.append(l).append('\n'));
    Path file = dir.resolve("dnsmasq-" + port + ".conf");
    Files.writeString(file, conf);
    process =
        new ProcessBuilder(BINARY, "--keep-in-foreground", "--conf-file=" + file, "--pid-file=")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("dnsmasq-" + port + ".log").toFile()))
            .start();
    awaitAnswers();
  }

  private void awaitAnswers() throws IOException, InterruptedException {
    SimpleResolver probe = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    probe.setTimeout(Duration.ofMillis(200));
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("probe.invalid."), Type.TXT, DClass.IN));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "dnsmasq exited: " + Files.readString(dir.resolve("dnsmasq-" + port + ".log")));
      }
      try {
        probe.send(query);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("dnsmasq did not answer on " + address() + " within 10 s");
  }

  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** A loopback port with nothing on it now, over UDP nor TCP (DNS uses both). */
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

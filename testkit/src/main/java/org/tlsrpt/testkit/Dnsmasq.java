package org.tlsrpt.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real DNS server for the tests: Debian's dnsmasq (package dnsmasq-base, which .ci/run installs)
 * on a loopback port, authoritative for the zones it is given (any other name under them is
 * NXDOMAIN). Records are added before {@link #start}; dnsmasq does not re-read its configuration,
 * so a test that changes records starts another one on the same port. A missing dnsmasq fails the
 * test with what to install, it never skips it.
 */
public final class Dnsmasq implements AutoCloseable {
  public static final String BINARY = "/usr/sbin/dnsmasq";

  private final Path dir;
  private final int port;
  private final List<String> lines = new ArrayList<>();
  private Process process;

  /** A server on a free port that writes its configuration and log under {@code dir}. */
  public Dnsmasq(Path dir) {
    this(dir, FreePorts.udpAndTcp());
  }

  public Dnsmasq(Path dir, int port) {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(BINARY + " is missing: install dnsmasq-base (.ci/run does)");
    }
    this.dir = dir;
    this.port = port;
  }

  /** host:port, as the resolver settings take it. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Answers for {@code zone} and every name under it: NXDOMAIN for names without records. */
  public Dnsmasq zone(String zone) {
    lines.add("local=/" + zone + "/");
    return this;
  }

  /** One TXT record made of these strings (readers join them). */
  public Dnsmasq txt(String name, String... strings) {
    StringBuilder b = new StringBuilder("txt-record=").append(name);
    for (String s : strings) {
      b.append(",\"").append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    lines.add(b.toString());
    return this;
  }

  public Dnsmasq txt(String name, List<String> strings) {
    return txt(name, strings.toArray(String[]::new));
  }

  public Dnsmasq mx(String domain, String host, int preference) {
    lines.add("mx-host=" + domain + "," + host + "," + preference);
    return this;
  }

  public Dnsmasq host(String name, String address) {
    lines.add("host-record=" + name + "," + address);
    return this;
  }

  /** Forwards queries for {@code name} and below to {@code server} ("127.0.0.1#port"). */
  public Dnsmasq forward(String name, String server) {
    lines.add("server=/" + name + "/" + server);
    return this;
  }

  /** Starts dnsmasq and waits until it answers. */
  public Dnsmasq start() throws IOException, InterruptedException {
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
    LoopbackDns.awaitAnswer("dnsmasq", process, port, log, Duration.ofSeconds(10));
    return this;
  }

  @Override
  public void close() throws IOException {
    ChildProcesses.stop(process, Duration.ofSeconds(3));
  }
}

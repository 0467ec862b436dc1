package org.tlsrpt.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DNSSEC-signed test tree served by Debian's NSD on a loopback port: the parent zone {@code
 * test.} (signed, NSEC3) and child zones delegated from it, each signed by the real tools of
 * Debian's ldnsutils ({@code ldns-keygen}, {@code ldns-signzone}) with its own key, and each with a
 * way to be broken: signatures out of date, no DS in the parent, a DS for another key, a tampered
 * NSEC3 chain, or not signed at all. The trust anchor is the DS of {@code test.}'s key ({@link
 * #trustAnchor}). One server answers for every zone, so a validating resolver that follows the
 * chain from {@code test.} needs no recursion. A missing tool fails the test with what to install.
 */
public final class SignedZones implements AutoCloseable {
  static final String NSD = "/usr/sbin/nsd";
  static final String KEYGEN = "/usr/bin/ldns-keygen";
  static final String SIGNZONE = "/usr/bin/ldns-signzone";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  /** How a child zone is signed and delegated. */
  public enum Signing {
    /** Signed (NSEC), its DS in the parent: a valid chain. */
    VALID,
    /** Signed with NSEC3. */
    NSEC3,
    /**
     * Signed with NSEC3, then every NSEC3 record removed: denials of existence cannot be proved.
     */
    NSEC3_BROKEN,
    /** Signed, but the parent publishes no DS: insecure, though signed. */
    NO_DS,
    /** Signed, but the parent's DS is for another key. */
    WRONG_DS,
    /** Not signed, delegated without DS: insecure. */
    UNSIGNED
  }

  /** A child zone: its records (zone-file lines relative to the zone), signing and validity. */
  public final class Zone {
    private final String name;
    private final List<String> records = new ArrayList<>();
    private Signing signing = Signing.VALID;
    private Instant inception = Instant.now().minus(Duration.ofDays(1));
    private Instant expiration = Instant.now().plus(Duration.ofDays(400));

    private Zone(String name) {
      this.name = name;
    }

    /** A record in zone-file form, e.g. {@code "@ MX 10 mx.example.test."}. */
    public Zone record(String line) {
      records.add(line);
      return this;
    }

    public Zone signing(Signing s) {
      signing = s;
      return this;
    }

    /** The validity period of every signature of the zone. */
    public Zone signatures(Instant from, Instant until) {
      inception = from;
      expiration = until;
      return this;
    }

    public SignedZones and() {
      return SignedZones.this;
    }
  }

  private final Path dir;
  private final int port;
  private final Map<String, Zone> zones = new LinkedHashMap<>();
  private Path trustAnchor;
  private Process process;

  public SignedZones(Path dir) throws IOException {
    for (String tool : List.of(NSD, KEYGEN, SIGNZONE)) {
      if (!Files.isExecutable(Path.of(tool))) {
        throw new IllegalStateException(
            tool + " is missing: install nsd and ldnsutils (.ci/run does) to run the DANE tests");
      }
    }
    this.dir = Files.createDirectories(dir.resolve("signed-zones"));
    this.port = FreePorts.udpAndTcp();
  }

  /** A child zone of {@code test.}, e.g. {@code good.test}. */
  public Zone zone(String name) {
    if (!name.endsWith(".test") || name.indexOf('.') != name.lastIndexOf('.')) {
      throw new IllegalArgumentException("a child zone of test., not " + name);
    }
    return zones.computeIfAbsent(name, Zone::new);
  }

  /** host:port of the server. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** A file with the DS record of {@code test.}'s key: the trust anchor of the tree. */
  public Path trustAnchor() {
    return trustAnchor;
  }

  /** Generates the keys, signs the zones and starts NSD. */
  public SignedZones start() throws IOException, InterruptedException {
    StringBuilder parent = new StringBuilder(soa("test"));
    parent.append("ns IN A 127.0.0.1\n");
    StringBuilder conf = new StringBuilder();
    for (Zone z : zones.values()) {
      String label = z.name.substring(0, z.name.indexOf('.'));
      parent.append(label).append(" IN NS ns.test.\n");
      Path file = dir.resolve(z.name + ".zone");
      StringBuilder text = new StringBuilder(soa(z.name));
      z.records.forEach(r -> text.append(r).append('\n'));
      Files.writeString(file, text);
      String served = z.name + ".zone";
      if (z.signing != Signing.UNSIGNED) {
        String key = keygen(z.name);
        List<String> args = new ArrayList<>();
        args.addAll(List.of("-i", STAMP.format(z.inception), "-e", STAMP.format(z.expiration)));
        if (z.signing == Signing.NSEC3 || z.signing == Signing.NSEC3_BROKEN) {
          args.addAll(List.of("-n", "-s", "00ff", "-t", "0"));
        }
        args.add(file.getFileName().toString());
        args.add(key);
        run(SIGNZONE, args.toArray(String[]::new));
        served = z.name + ".zone.signed";
        if (z.signing == Signing.NSEC3_BROKEN) {
          withoutNsec3(dir.resolve(served));
        }
        if (z.signing == Signing.WRONG_DS) {
          parent.append(Files.readString(dir.resolve(keygen(z.name) + ".ds")));
        } else if (z.signing != Signing.NO_DS) {
          parent.append(Files.readString(dir.resolve(key + ".ds")));
        }
      }
      conf.append("zone:\n  name: ").append(z.name).append("\n  zonefile: ").append(served);
      conf.append('\n');
    }
    Path parentFile = dir.resolve("test.zone");
    Files.writeString(parentFile, parent);
    String parentKey = keygen("test");
    run(SIGNZONE, "-n", "-s", "abcd", "-t", "0", "test.zone", parentKey);
    trustAnchor = dir.resolve("trust-anchor.ds");
    Files.copy(dir.resolve(parentKey + ".ds"), trustAnchor);
    Path config = dir.resolve("nsd.conf");
    Files.writeString(
        config,
        "server:\n  ip-address: 127.0.0.1@"
            + port
            + "\n  port: "
            + port
            + "\n  username: \"\"\n  chroot: \"\"\n  zonesdir: \""
            + dir
            + "\"\n  database: \"\"\n  pidfile: \""
            + dir.resolve("nsd.pid")
            + "\"\n  xfrdfile: \""
            + dir.resolve("xfrd.state")
            + "\"\n  zonelistfile: \""
            + dir.resolve("zone.list")
            + "\"\n  server-count: 1\n  verbosity: 1\n"
            + "remote-control:\n  control-enable: no\n"
            + "zone:\n  name: test\n  zonefile: test.zone.signed\n"
            + conf);
    Path log = dir.resolve("nsd.log");
    process =
        new ProcessBuilder(NSD, "-d", "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    LoopbackDns.awaitAnswer("nsd", process, port, log, Duration.ofSeconds(15));
    return this;
  }

  private static String soa(String zone) {
    return "$ORIGIN "
        + zone
        + ".\n$TTL 300\n@ IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n"
        + "@ IN NS ns.test.\n";
  }

  /** Removes the NSEC3 records and their signatures, keeping NSEC3PARAM: proofs break. */
  private static void withoutNsec3(Path signed) throws IOException {
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(signed)) {
      String[] f = line.trim().split("\\s+");
      boolean nsec3 = f.length > 3 && f[3].equals("NSEC3");
      boolean sigOverNsec3 = f.length > 4 && f[3].equals("RRSIG") && f[4].equals("NSEC3");
      if (!nsec3 && !sigOverNsec3) {
        kept.add(line);
      }
    }
    Files.write(signed, kept);
  }

  /** A new ECDSA P-256 key for the zone (one key signs everything); its base file name. */
  private String keygen(String zone) throws IOException, InterruptedException {
    return run(KEYGEN, "-a", "ECDSAP256SHA256", "-k", zone + ".").strip();
  }

  private String run(String tool, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    ChildProcesses.stop(process, Duration.ofSeconds(5));
  }
}

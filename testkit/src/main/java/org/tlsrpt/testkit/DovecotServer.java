package org.tlsrpt.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real Dovecot (Debian's dovecot-imapd, whose auth process has the oauth2 passdb built in) for
 * tests, in a directory of its own: the config written there, {@code dovecot -F -c <conf>}
 * listening on 127.0.0.1 (and 127.0.0.2) on two free high ports (IMAP, which offers STARTTLS, and
 * IMAPS), a self-signed certificate made with openssl and a PKCS12 trust store for the client,
 * passwd-file authentication, a Maildir, and mail_log recording what happens to each message.
 * Messages are delivered as an MDA does: written into {@code Maildir/tmp}, then renamed into {@code
 * Maildir/new}.
 *
 * <p>Dovecot runs as root here, as in CI, with its mail processes as the system user {@code mail},
 * who owns the Maildir. A missing Dovecot fails the test: {@code .ci/run} installs it.
 */
public final class DovecotServer implements AutoCloseable {
  public static final String USER = "tlsrpt";
  public static final String PASSWORD = "imap-test-password";
  public static final String TRUST_PASSWORD = "changeit";

  private static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
  private static final Path IMAP = Path.of("/usr/lib/dovecot/imap");
  private static final Path DOVEADM = Path.of("/usr/bin/doveadm");

  private final Path dir;
  private final Process process;
  private final int imapPort;
  private final int imapsPort;
  private final UserPrincipal mailUser;
  private final GroupPrincipal mailGroup;
  private final AtomicInteger delivered = new AtomicInteger();

  private DovecotServer(
      Path dir,
      Process process,
      int imapPort,
      int imapsPort,
      UserPrincipal mailUser,
      GroupPrincipal mailGroup) {
    this.dir = dir;
    this.process = process;
    this.imapPort = imapPort;
    this.imapsPort = imapsPort;
    this.mailUser = mailUser;
    this.mailGroup = mailGroup;
  }

  /**
   * Starts Dovecot and waits until it greets.
   *
   * @param extraConfig lines added to the config, e.g. {@code imap_capability = ...}
   */
  public static DovecotServer start(Path parent, String... extraConfig) throws Exception {
    return start(parent, null, extraConfig);
  }

  /**
   * Starts Dovecot with OAuth2 (SASL XOAUTH2 and OAUTHBEARER) beside the password login: its oauth2
   * passdb asks {@code introspectionUrl} (RFC 7662, POST {@code token=...}) whether a token is
   * active and whose it is ({@code username}), as Dovecot does in front of an identity provider.
   * Nothing is cached: every login is introspected.
   */
  public static DovecotServer startWithOAuth2(
      Path parent, URI introspectionUrl, String... extraConfig) throws Exception {
    return start(parent, introspectionUrl, extraConfig);
  }

  private static DovecotServer start(Path parent, URI introspection, String... extraConfig)
      throws Exception {
    if (!Files.isExecutable(DOVECOT) || !Files.isExecutable(IMAP)) {
      throw new IllegalStateException(
          IMAP
              + " not found: install dovecot-imapd (apt-get install -y dovecot-imapd; .ci/run"
              + " does)");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(
          "the Dovecot tests run Dovecot as root (its mail processes as the user 'mail'), as CI does");
    }
    Path dir = parent.resolve("dovecot");
    Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("state"));
    // Dovecot's mail and login processes must reach into the test's temporary directory
    for (Path p : List.of(parent, dir)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal mail = users.lookupPrincipalByName("mail");
    GroupPrincipal mailGroup = users.lookupPrincipalByGroupName("mail");

    Path home = dir.resolve("home");
    for (String sub : List.of("cur", "new", "tmp")) {
      Files.createDirectories(home.resolve("Maildir").resolve(sub));
    }
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : all.toList()) {
        own(p, mail, mailGroup);
      }
    }
    certificate(dir);
    Files.writeString(dir.resolve("passwd"), USER + ":{PLAIN}" + PASSWORD + "::::" + home + "::\n");

    int[] ports = FreePorts.tcp(2);
    int imap = ports[0];
    int imaps = ports[1];
    Path conf = dir.resolve("dovecot.conf");
    if (introspection != null) {
      Files.writeString(
          dir.resolve("dovecot-oauth2.conf.ext"),
          String.join(
              "\n",
              "introspection_url = " + introspection,
              "introspection_mode = post",
              "force_introspection = yes",
              "username_attribute = username",
              "active_attribute = active",
              "active_value = true",
              "timeout_msecs = 10000",
              ""));
    }
    Files.writeString(conf, config(dir, imap, imaps, introspection != null, extraConfig));
    Process p =
        new ProcessBuilder(DOVECOT.toString(), "-F", "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    DovecotServer server = new DovecotServer(dir, p, imap, imaps, mail, mailGroup);
    try {
      server.awaitGreeting();
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static String config(Path dir, int imap, int imaps, boolean oauth2, String... extra) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "protocols = imap",
                // 127.0.0.2 is loopback too, but not a name the certificate holds
                "listen = 127.0.0.1, 127.0.0.2",
                "base_dir = " + dir.resolve("run"),
                "state_dir = " + dir.resolve("state"),
                "instance_name = tlsrpt-test-" + imap,
                "log_path = " + dir.resolve("dovecot.log"),
                "ssl = yes",
                "ssl_cert = <" + dir.resolve("cert.pem"),
                "ssl_key = <" + dir.resolve("key.pem"),
                "disable_plaintext_auth = no",
                "auth_mechanisms = plain login" + (oauth2 ? " xoauth2 oauthbearer" : ""),
                "mail_uid = mail",
                "mail_gid = mail",
                "first_valid_uid = 1",
                "first_valid_gid = 1",
                "mail_location = maildir:~/Maildir",
                // what happens to each message, in the log: copies, \Deleted flags, expunges
                "mail_plugins = $mail_plugins notify mail_log",
                "plugin {",
                "  mail_log_events = copy delete expunge",
                "}",
                oauth2 ? "passdb {" : "",
                oauth2 ? "  driver = oauth2" : "",
                oauth2 ? "  mechanisms = xoauth2 oauthbearer" : "",
                oauth2 ? "  args = " + dir.resolve("dovecot-oauth2.conf.ext") : "",
                oauth2 ? "}" : "",
                "passdb {",
                "  driver = passwd-file",
                oauth2 ? "  mechanisms = plain login" : "",
                "  args = scheme=PLAIN " + dir.resolve("passwd"),
                "}",
                "userdb {",
                "  driver = passwd-file",
                "  args = " + dir.resolve("passwd"),
                "}",
                "service imap-login {",
                "  inet_listener imap {",
                "    port = " + imap,
                "  }",
                "  inet_listener imaps {",
                "    port = " + imaps,
                "    ssl = yes",
                "  }",
                "}"));
    lines.addAll(List.of(extra));
    return String.join("\n", lines) + "\n";
  }

  /** A self-signed certificate for 127.0.0.1 and localhost, and a trust store holding it. */
  private static void certificate(Path dir) throws Exception {
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost");
    Certificate cert;
    try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
      cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("dovecot", cert);
    try (var out = Files.newOutputStream(dir.resolve("trust.p12"))) {
      trust.store(out, TRUST_PASSWORD.toCharArray());
    }
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("command.log").toFile())
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed: "
              + Files.readString(dir.resolve("command.log"), StandardCharsets.UTF_8));
    }
  }

  private void awaitGreeting() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("dovecot exited at start:\n" + logs());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", imapPort), 1000);
        s.setSoTimeout(5000);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("* OK") && line.contains("ready")) {
            return;
          }
        }
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("dovecot did not greet within 20 s:\n" + logs());
  }

  public int imapPort() {
    return imapPort;
  }

  public int imapsPort() {
    return imapsPort;
  }

  public Path trustStore() {
    return dir.resolve("trust.p12");
  }

  public Path maildir() {
    return dir.resolve("home/Maildir");
  }

  /** Delivers a message as an MDA does; returns its file in {@code Maildir/new}. */
  public Path deliver(byte[] message) throws IOException {
    String name = System.currentTimeMillis() + ".M" + delivered.incrementAndGet() + ".tlsrpt-test";
    Path tmp = maildir().resolve("tmp").resolve(name);
    Files.write(tmp, message);
    own(tmp, mailUser, mailGroup);
    return Files.move(tmp, maildir().resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Messages in a folder (INBOX or a folder below it), counted as files in its Maildir. */
  public int count(String folder) throws IOException {
    Path f = "INBOX".equals(folder) ? maildir() : maildir().resolve("." + folder);
    int n = 0;
    for (String sub : List.of("cur", "new")) {
      if (Files.isDirectory(f.resolve(sub))) {
        try (Stream<Path> files = Files.list(f.resolve(sub))) {
          n += (int) files.count();
        }
      }
    }
    return n;
  }

  /** Drops every IMAP connection of the test user, as a server restart or a network cut does. */
  public void kick() throws Exception {
    run(dir, DOVEADM.toString(), "-c", dir.resolve("dovecot.conf").toString(), "kick", USER);
  }

  public String logs() throws IOException {
    Path log = dir.resolve("dovecot.log");
    Path out = dir.resolve("stdout.log");
    return (Files.exists(out) ? Files.readString(out) : "")
        + (Files.exists(log) ? Files.readString(log) : "");
  }

  private static void own(Path p, UserPrincipal user, GroupPrincipal group) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
    view.setOwner(user);
    view.setGroup(group);
  }

  /** Stops Dovecot and whatever it started. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    ChildProcesses.stop(process, Duration.ofSeconds(10));
    for (ProcessHandle c : children) {
      if (c.isAlive()) {
        c.destroyForcibly();
      }
    }
  }
}

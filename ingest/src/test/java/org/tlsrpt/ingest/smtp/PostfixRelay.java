package org.tlsrpt.ingest.smtp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Postfix (Debian's package) relaying to listeners on loopback, in a directory of its own:
 * {@code main.cf} and {@code master.cf} written there (no chroot, no listener of its own: mail is
 * put in with its {@code sendmail}), its queue there, and what it does logged to a file there
 * ({@code maillog_file}: there is no syslog here) with the SMTP dialog with 127.0.0.1 ({@code
 * debug_peer_list}). Started with {@code postfix -c DIR start}, stopped with {@code stop}.
 *
 * <p>Postfix runs as root here, as in CI, its daemons as the system user {@code postfix}. A missing
 * Postfix fails the test: {@code .ci/run} installs it.
 */
final class PostfixRelay implements AutoCloseable {
  private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
  private static final Path SENDMAIL = Path.of("/usr/sbin/sendmail");
  private static final Path POSTQUEUE = Path.of("/usr/sbin/postqueue");
  private static final long WAIT_MILLIS = 60_000;

  private final Path dir;
  private final Path conf;
  private final Path log;

  private PostfixRelay(Path dir) {
    this.dir = dir;
    this.conf = dir.resolve("conf");
    this.log = dir.resolve("maillog");
  }

  /**
   * Starts Postfix.
   *
   * @param settings main.cf lines for the relaying (relayhost, transport and TLS policy maps)
   */
  static PostfixRelay start(Path parent, List<String> settings) throws Exception {
    if (!Files.isExecutable(POSTFIX) || !Files.isExecutable(SENDMAIL)) {
      throw new IllegalStateException(
          POSTFIX
              + " not found: install Debian's postfix (echo 'postfix postfix/main_mailer_type"
              + " select No configuration' | debconf-set-selections; apt-get install -y postfix;"
              + " .ci/run does)");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("the Postfix tests run Postfix as root, as CI does");
    }
    Path dir = parent.resolve("postfix");
    PostfixRelay p = new PostfixRelay(dir);
    Files.createDirectories(p.conf);
    Files.createDirectories(dir.resolve("queue"));
    Path data = Files.createDirectories(dir.resolve("data"));
    // Postfix's daemons (user postfix) must reach into the test's temporary directory
    for (Path d : List.of(parent, dir, p.conf, dir.resolve("queue"))) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(data, users.lookupPrincipalByName("postfix"));
    List<String> main =
        new ArrayList<>(
            List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("queue"),
                "data_directory = " + data,
                "command_directory = /usr/sbin",
                "daemon_directory = /usr/lib/postfix/sbin",
                "meta_directory = /etc/postfix",
                "shlib_directory = /usr/lib/postfix",
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "maillog_file = " + p.log,
                "maillog_file_prefixes = " + dir,
                "myhostname = relay.sender.test",
                "mydomain = sender.test",
                "myorigin = $myhostname",
                "mydestination =",
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "alias_maps =",
                "alias_database =",
                "smtp_dns_support_level = disabled",
                "smtp_tls_loglevel = 1",
                // the dialog with the listeners, so the log shows what was pipelined
                "debug_peer_list = 127.0.0.1",
                "debug_peer_level = 1"));
    main.addAll(settings);
    Files.writeString(p.conf.resolve("main.cf"), String.join("\n", main) + "\n");
    Files.writeString(p.conf.resolve("master.cf"), MASTER);
    p.postfix("start");
    return p;
  }

  /** The services in use; chroot off (column 5), no smtpd. */
  private static final String MASTER =
      """
      pickup    unix  n  -  n  60     1  pickup
      cleanup   unix  n  -  n  -      0  cleanup
      qmgr      unix  n  -  n  300    1  qmgr
      tlsmgr    unix  -  -  n  1000?  1  tlsmgr
      rewrite   unix  -  -  n  -      -  trivial-rewrite
      bounce    unix  -  -  n  -      0  bounce
      defer     unix  -  -  n  -      0  bounce
      trace     unix  -  -  n  -      0  bounce
      verify    unix  -  -  n  -      1  verify
      flush     unix  n  -  n  1000?  0  flush
      proxymap  unix  -  -  n  -      -  proxymap
      smtp      unix  -  -  n  -      -  smtp
      relay     unix  -  -  n  -      -  smtp
      showq     unix  n  -  n  -      -  showq
      error     unix  -  -  n  -      -  error
      retry     unix  -  -  n  -      -  error
      discard   unix  -  -  n  -      -  discard
      anvil     unix  -  -  n  -      1  anvil
      scache    unix  -  -  n  -      1  scache
      postlog   unix-dgram n  -  n  -  1  postlogd
      """;

  /**
   * Puts a message in Postfix's queue with its sendmail, and returns its queue id once its cleanup
   * has logged it (found by the Message-ID, which each message must have, unique).
   */
  String send(Path message, String messageId, String from, String... to) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SENDMAIL.toString(), "-C", conf.toString()));
    cmd.addAll(List.of("-f", from, "--"));
    cmd.addAll(List.of(to));
    run(new ProcessBuilder(cmd).redirectInput(message.toFile()));
    Pattern cleanup =
        Pattern.compile(
            "postfix/cleanup\\[\\d+\\]: ([0-9A-F]+): message-id=<"
                + Pattern.quote(messageId)
                + ">");
    return await("the queue id of <" + messageId + ">", () -> find(cleanup).map(m -> m.group(1)));
  }

  /** The delivery line of one recipient of a queued message, once there is one. */
  String delivery(String queueId, String rcpt, String status) throws Exception {
    Pattern line =
        Pattern.compile(
            ".*postfix/(smtp|error|discard)\\[\\d+\\]: "
                + queueId
                + ": to=<"
                + Pattern.quote(rcpt)
                + ">, .* status="
                + status
                + " .*");
    return await(status + " for " + queueId + " to " + rcpt, () -> find(line).map(m -> m.group()));
  }

  /** Tries every deferred message again now ({@code postqueue -f}). */
  void flush() throws IOException {
    run(new ProcessBuilder(POSTQUEUE.toString(), "-c", conf.toString(), "-f"));
  }

  /** The whole log so far. */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private Optional<Matcher> find(Pattern p) throws IOException {
    for (String line : log().split("\n")) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  @FunctionalInterface
  private interface Probe<T> {
    Optional<T> get() throws IOException;
  }

  private <T> T await(String what, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    while (System.nanoTime() < deadline) {
      Optional<T> found = probe.get();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Postfix did not log " + what + " in time; its log:\n" + log());
  }

  private void postfix(String command) throws IOException {
    run(new ProcessBuilder(POSTFIX.toString(), "-c", conf.toString(), command));
  }

  private void run(ProcessBuilder pb) throws IOException {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean exited;
    try {
      exited = p.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new InterruptedIOException("interrupted while waiting for " + pb.command());
    }
    if (!exited || p.exitValue() != 0) {
      p.destroyForcibly();
      // Postfix's commands say why only on a terminal or in the log
      throw new IllegalStateException(
          String.join(" ", pb.command()) + " failed: " + out + "\nPostfix's log:\n" + log());
    }
  }

  /** Stops Postfix and waits for its master process to exit. */
  @Override
  public void close() throws IOException {
    Path pidFile = dir.resolve("queue/pid/master.pid");
    Optional<ProcessHandle> master =
        Files.exists(pidFile)
            ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
            : Optional.empty();
    postfix("stop");
    if (master.isPresent()) {
      try {
        master.get().onExit().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for Postfix to stop");
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("Postfix's master process did not exit", e);
      }
    }
  }
}

package org.tlsrpt.ingest.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.imap.ImapSettings.Security;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.storage.RawArchive;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ServerClickHouse;
import org.tlsrpt.testkit.DovecotServer;
import org.tlsrpt.testkit.FreePorts;

/**
 * The IMAP poller against a real Dovecot on loopback (IMAPS, STARTTLS, with and without MOVE and
 * IDLE), storing into the embedded ClickHouse engine, with the public sample report e-mails.
 */
class ImapPollerIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A report e-mail whose gzip attachment is corrupt: the parser rejects it. */
  private static final String MALFORMED =
      """
      From: noreply-smtp-tls-reporting@example.net
      To: tlsrpt@example.com
      Subject: Report Domain: example.com Submitter: example.net Report-ID: <broken@example.net>
      Date: Mon, 1 Jan 2024 00:00:00 +0000
      Message-ID: <broken@example.net>
      TLS-Report-Domain: example.com
      TLS-Report-Submitter: example.net
      MIME-Version: 1.0
      Content-Type: multipart/report; report-type="tlsrpt"; boundary="b0"

      --b0
      Content-Type: text/plain

      This is an aggregate TLS report from example.net
      --b0
      Content-Type: application/tlsrpt+gzip
      Content-Transfer-Encoding: base64
      Content-Disposition: attachment; filename="example.net!example.com!1704067200!1704153599.json.gz"

      H4sIAAAAAAAAA6tWSkksSVSyUlAqzs9NVagFAP//
      --b0--
      """;

  @TempDir Path dir;
  private DovecotServer dovecot;
  private TestStore store;
  private final List<ImapPoller> pollers = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    pollers.forEach(ImapPoller::close);
    if (store != null) {
      store.close();
    }
    if (dovecot != null) {
      dovecot.close();
    }
  }

  @Test
  void storesEveryReportOverImapsExactlyAsServedAndMovesItToProcessed() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    List<Path> samples = samples();
    for (Path f : samples) {
      dovecot.deliver(Files.readAllBytes(f));
    }
    ImapPoller poller = start(store.intake(), settings(Security.IMAPS));
    await(() -> poller.messagesProcessed() == samples.size(), "every sample processed");

    assertThat(count("INBOX")).isZero();
    assertThat(count("processed")).isEqualTo(samples.size());
    assertThat(count("rejected")).isZero();
    assertTotals(samples);
    // Dovecot serves a stored message with CRLF line ends and otherwise byte for byte
    Set<String> served = new HashSet<>();
    for (Path f : samples) {
      served.add(sha256(crlf(Files.readAllBytes(f))));
    }
    assertThat(store.archive())
        .extracting(RawArchive.Entry::sha256)
        .containsExactlyInAnyOrderElementsOf(served);
    assertThat(store.archive()).extracting(RawArchive.Entry::source).containsOnly("imap");
    assertThat(poller.errors()).isZero();
    assertThat(poller.reconnects()).isZero();
    assertThat(dovecot.logs())
        .contains("Login: user=<tlsrpt>, method=PLAIN")
        .contains(", TLS,")
        .as("MOVE, not copy and \\Deleted")
        .doesNotContain("delete: box=INBOX");
  }

  @Test
  void movesAMalformedMessageToRejectedStoredWithItsReasonAndTheOthersToProcessed()
      throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    List<Path> samples = samples().subList(0, 2);
    dovecot.deliver(Files.readAllBytes(samples.get(0)));
    dovecot.deliver(MALFORMED.getBytes(StandardCharsets.US_ASCII));
    dovecot.deliver(Files.readAllBytes(samples.get(1)));
    ImapPoller poller = start(store.intake(), settings(Security.IMAPS));
    await(
        () -> poller.messagesProcessed() == 2 && poller.messagesRejected() == 1,
        "two processed, one rejected");

    assertThat(count("INBOX")).isZero();
    assertThat(count("processed")).isEqualTo(2);
    assertThat(count("rejected")).isEqualTo(1);
    String malformed = sha256(crlf(MALFORMED.getBytes(StandardCharsets.US_ASCII)));
    assertThat(store.archive())
        .filteredOn(e -> e.sha256().equals(malformed))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo("rejected");
              assertThat(e.message()).isNotBlank();
            });
    assertTotals(samples);
  }

  @Test
  void aRestartMidMailboxCountsEveryReportOnceAndEmptiesTheInbox() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    List<Path> samples = samples();
    for (Path f : samples) {
      dovecot.deliver(Files.readAllBytes(f));
    }
    ImapPoller first = start(store.intake(), settings(Security.IMAPS));
    await(() -> first.messagesProcessed() >= 2, "two messages processed");
    first.stop();
    int left = count("INBOX");
    assertThat(left).as("messages left by the first poller").isPositive();
    assertThat(count("processed")).isEqualTo(samples.size() - left);

    // a crash between storing and moving: one message still in the inbox is stored already
    Path stored = inboxFiles().get(0);
    store.intake().accept(Envelope.mail(crlf(Files.readAllBytes(stored)), Source.IMAP));

    ImapPoller second = start(store.intake(), settings(Security.IMAPS));
    await(() -> second.messagesProcessed() == left, "the rest processed");
    assertThat(count("INBOX")).isZero();
    assertThat(count("processed")).isEqualTo(samples.size());
    assertThat(store.archive()).hasSize(samples.size());
    assertTotals(samples);
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      Path file = files.filter(f -> f.toString().endsWith(".checkpoint")).findFirst().orElseThrow();
      ImapCheckpoint checkpoint = ImapCheckpoint.load(file);
      assertThat(checkpoint.uidValidity()).isPositive();
      assertThat(checkpoint.lastUid()).isEqualTo(samples.size());
    }
  }

  @Test
  void countsAReDeliveredReportAsADuplicateInTheLogAndTheCounts() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    Path sample = samples().get(0);
    dovecot.deliver(Files.readAllBytes(sample));
    try (LogCapture log = new LogCapture()) {
      ImapPoller poller = start(store.intake(), settings(Security.IMAPS));
      await(() -> poller.messagesProcessed() == 1, "the report processed");
      dovecot.deliver(Files.readAllBytes(sample)); // the sender delivers it again
      await(() -> poller.messagesProcessed() == 2, "the re-delivery processed");

      assertThat(store.intake().counts())
          .containsEntry("imap/accepted", 1L)
          .containsEntry("imap/duplicate", 1L);
      assertThat(log.text())
          .containsOnlyOnce("source=imap outcome=accepted")
          .containsOnlyOnce("source=imap outcome=duplicate");
      assertThat(count("processed")).isEqualTo(2);
      assertTotals(List.of(sample));
    }
  }

  @Test
  void readsOverRequiredStartTls() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    List<Path> samples = samples().subList(0, 3);
    for (Path f : samples) {
      dovecot.deliver(Files.readAllBytes(f));
    }
    ImapPoller poller = start(store.intake(), settings(Security.STARTTLS));
    await(() -> poller.messagesProcessed() == samples.size(), "every message processed");
    assertThat(count("INBOX")).isZero();
    assertTotals(samples);
    assertThat(dovecot.logs()).contains("Login: user=<tlsrpt>, method=PLAIN").contains(", TLS,");
  }

  @Test
  void storageDownLeavesEveryMessageInTheInboxUntilAPollerWithStorageTakesThem() throws Exception {
    dovecot = DovecotServer.start(dir);
    List<Path> samples = samples();
    for (Path f : samples) {
      dovecot.deliver(Files.readAllBytes(f));
    }
    int closed = FreePorts.tcp();
    try (TestStore down =
        TestStore.over(
            new ServerClickHouse(
                "http://127.0.0.1:" + closed,
                "default",
                "",
                1,
                Duration.ofMillis(50),
                Duration.ofSeconds(2)))) {
      ImapPoller failing = start(down.intake(), settings(Security.IMAPS));
      await(() -> failing.errors() >= 3, "three passes stopped by the storage");
      failing.stop();
      assertThat(failing.messagesProcessed()).isZero();
      assertThat(failing.messagesRejected()).isZero();
      assertThat(failing.reconnects()).as("storage failures do not drop the session").isZero();
    }
    assertThat(count("INBOX")).isEqualTo(samples.size());
    assertThat(count("processed")).isZero();
    assertThat(count("rejected")).isZero();

    store = TestStore.embedded(dir.resolve("data"));
    ImapPoller working = start(store.intake(), settings(Security.IMAPS));
    await(() -> working.messagesProcessed() == samples.size(), "every sample processed");
    assertThat(count("INBOX")).isZero();
    assertTotals(samples);
  }

  @Test
  void handlesAMessageDeliveredWhileIdlingWithinSeconds() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    List<Path> samples = samples().subList(0, 2);
    dovecot.deliver(Files.readAllBytes(samples.get(0)));
    // polling alone would take ten minutes
    ImapPoller poller =
        start(
            store.intake(),
            new Knobs(Security.IMAPS).pollInterval(Duration.ofMinutes(10)).settings());
    await(() -> poller.messagesProcessed() == 1, "the first message processed");
    Thread.sleep(1000); // in IDLE by now
    dovecot.deliver(Files.readAllBytes(samples.get(1)));
    await(
        () -> poller.messagesProcessed() == 2, Duration.ofSeconds(5), "the new message processed");
    assertThat(count("INBOX")).isZero();
    assertTotals(samples);
  }

  @Test
  void withoutMoveAndIdleCopiesDeletesAndPolls() throws Exception {
    // the server offers neither MOVE nor IDLE once logged in
    dovecot = DovecotServer.start(dir, "imap_capability = IMAP4rev1 LITERAL+ UIDPLUS");
    store = TestStore.embedded(dir.resolve("data"));
    List<Path> samples = samples().subList(0, 3);
    dovecot.deliver(Files.readAllBytes(samples.get(0)));
    dovecot.deliver(Files.readAllBytes(samples.get(1)));
    ImapPoller poller =
        start(
            store.intake(),
            new Knobs(Security.IMAPS).pollInterval(Duration.ofMillis(300)).settings());
    await(() -> poller.messagesProcessed() == 2, "two messages processed");
    dovecot.deliver(Files.readAllBytes(samples.get(2)));
    await(() -> poller.messagesProcessed() == 3, "the third message processed by polling");

    assertThat(count("INBOX")).isZero();
    assertThat(count("processed")).isEqualTo(3);
    assertTotals(samples);
    assertThat(dovecot.logs()).contains("copy from INBOX").contains("delete: box=INBOX");
    assertThat(poller.errors()).isZero();
  }

  @Test
  void leavesAMessageTheServerCannotReadAndGoesOnWithTheOthers() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    List<Path> samples = samples().subList(0, 2);
    dovecot.deliver(Files.readAllBytes(samples.get(0)));
    Path unreadable = dovecot.deliver("Subject: damaged\n\nunreadable\n".getBytes());
    // Dovecot (running as 'mail') cannot open it: it drops the connection on a FETCH of it
    Files.setOwner(
        unreadable,
        unreadable.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
    dovecot.deliver(Files.readAllBytes(samples.get(1)));
    ImapPoller poller = start(store.intake(), settings(Security.IMAPS));
    await(() -> poller.messagesProcessed() == 2, "both readable messages processed");

    assertThat(count("INBOX")).as("only the unreadable message is left").isEqualTo(1);
    assertThat(poller.reconnects()).isGreaterThanOrEqualTo(MailboxPass.MAX_ATTEMPTS);
    assertThat(poller.errors()).isGreaterThan(MailboxPass.MAX_ATTEMPTS);
    assertTotals(samples);
  }

  @Test
  void movesAMessageOverTheSizeLimitToRejectedUnread() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    Path small = sample("stalwart__rpt01_rfc_example_gzip.eml");
    Path large = sample("isseis__tlsrpt_success_microsoft.eml");
    dovecot.deliver(Files.readAllBytes(large));
    dovecot.deliver(Files.readAllBytes(small));
    ImapPoller poller =
        start(store.intake(), new Knobs(Security.IMAPS).maxMessageBytes(4096).settings());
    await(
        () -> poller.messagesProcessed() == 1 && poller.messagesRejected() == 1,
        "one processed, one rejected");
    assertThat(count("rejected")).isEqualTo(1);
    assertThat(count("processed")).isEqualTo(1);
    assertThat(store.archive()).hasSize(1);
    assertTotals(List.of(small));
  }

  @Test
  void deletesProcessedMessagesWhenConfiguredButKeepsRejectedOnes() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    List<Path> samples = samples().subList(0, 1);
    dovecot.deliver(Files.readAllBytes(samples.get(0)));
    dovecot.deliver(MALFORMED.getBytes(StandardCharsets.US_ASCII));
    ImapPoller poller =
        start(store.intake(), new Knobs(Security.IMAPS).deleteAfterProcessing().settings());
    await(
        () -> poller.messagesProcessed() == 1 && poller.messagesRejected() == 1,
        "one processed, one rejected");
    assertThat(count("INBOX")).isZero();
    assertThat(count("processed")).isZero();
    assertThat(count("rejected")).isEqualTo(1);
    assertTotals(samples);
  }

  @Test
  void refusesAServerWhoseCertificateItsTrustDoesNotVouchFor() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    dovecot.deliver(Files.readAllBytes(samples().get(0)));
    ImapPoller poller = start(store.intake(), new Knobs(Security.IMAPS).untrusted().settings());
    await(() -> poller.errors() >= 2, "two failed connections");
    poller.stop();
    assertThat(poller.messagesProcessed()).isZero();
    assertThat(count("INBOX")).isEqualTo(1);
    assertThat(dovecot.logs()).doesNotContain("Login: user=<tlsrpt>");
  }

  @Test
  void refusesACertificateIssuedForAnotherName() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    dovecot.deliver(Files.readAllBytes(samples().get(0)));
    // the same server, trusted, reached at an address its certificate does not name
    ImapPoller poller =
        start(store.intake(), new Knobs(Security.IMAPS).host("127.0.0.2").settings());
    await(() -> poller.errors() >= 2, "two failed connections");
    poller.stop();
    assertThat(poller.messagesProcessed()).isZero();
    assertThat(count("INBOX")).isEqualTo(1);
    assertThat(dovecot.logs()).doesNotContain("Login: user=<tlsrpt>");
  }

  @Test
  void neverLogsInInClearTextWhenStartTlsIsRequiredButNotOffered() throws Exception {
    dovecot = DovecotServer.start(dir, "ssl = no");
    store = TestStore.embedded(dir.resolve("data"));
    dovecot.deliver(Files.readAllBytes(samples().get(0)));
    ImapPoller poller = start(store.intake(), settings(Security.STARTTLS));
    await(() -> poller.errors() >= 2, "two failed connections");
    poller.stop();
    assertThat(poller.messagesProcessed()).isZero();
    assertThat(count("INBOX")).isEqualTo(1);
    assertThat(dovecot.logs()).doesNotContain("Login: user=<tlsrpt>");
  }

  @Test
  void reconnectsAfterTheServerDropsTheConnection() throws Exception {
    dovecot = DovecotServer.start(dir);
    store = TestStore.embedded(dir.resolve("data"));
    List<Path> samples = samples().subList(0, 2);
    dovecot.deliver(Files.readAllBytes(samples.get(0)));
    ImapPoller poller =
        start(
            store.intake(),
            new Knobs(Security.IMAPS).pollInterval(Duration.ofMinutes(10)).settings());
    await(() -> poller.messagesProcessed() == 1, "the first message processed");
    Thread.sleep(500);
    dovecot.kick();
    await(() -> poller.reconnects() >= 1, "a reconnect");
    dovecot.deliver(Files.readAllBytes(samples.get(1)));
    await(() -> poller.messagesProcessed() == 2, "the message after the reconnect processed");
    assertTotals(samples);
  }

  // ---------------------------------------------------------------------------------------------

  private ImapPoller start(Intake intake, ImapSettings settings) {
    ImapPoller p = new ImapPoller(settings, intake, dir.resolve("state"));
    pollers.add(p);
    p.start();
    return p;
  }

  private ImapSettings settings(Security security) {
    return new Knobs(security).settings();
  }

  /** The settings the tests vary, with the defaults they share. */
  private final class Knobs {
    private final Security security;
    private Duration pollInterval = Duration.ofMinutes(5);
    private boolean delete;
    private boolean trusted = true;
    private int maxMessageBytes = 32 * 1024 * 1024;
    private String host = "127.0.0.1";

    Knobs(Security security) {
      this.security = security;
    }

    Knobs pollInterval(Duration d) {
      pollInterval = d;
      return this;
    }

    Knobs deleteAfterProcessing() {
      delete = true;
      return this;
    }

    /** The JDK's default trust, which does not know the test certificate. */
    Knobs untrusted() {
      trusted = false;
      return this;
    }

    Knobs host(String name) {
      host = name;
      return this;
    }

    Knobs maxMessageBytes(int max) {
      maxMessageBytes = max;
      return this;
    }

    ImapSettings settings() {
      return new ImapSettings(
          host,
          security == Security.IMAPS ? dovecot.imapsPort() : dovecot.imapPort(),
          security,
          DovecotServer.USER,
          DovecotServer.PASSWORD,
          "INBOX",
          "processed",
          "rejected",
          delete,
          pollInterval,
          true,
          trusted ? dovecot.trustStore() : null,
          trusted ? DovecotServer.TRUST_PASSWORD : null,
          Duration.ofSeconds(5),
          Duration.ofSeconds(20),
          Duration.ofMillis(200),
          maxMessageBytes,
          null);
    }
  }

  private int count(String folder) {
    try {
      return dovecot.count(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Path> inboxFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String sub : List.of("cur", "new")) {
      try (Stream<Path> s = Files.list(dovecot.maildir().resolve(sub))) {
        files.addAll(s.sorted().toList());
      }
    }
    return files;
  }

  /** The summary's totals are the sums the files state, each report once. */
  private void assertTotals(List<Path> files) throws IOException {
    ReportParser parser = new ReportParser();
    Set<Object> seen = new HashSet<>();
    long reports = 0;
    long successful = 0;
    long failed = 0;
    for (Path f : files) {
      ParseOutcome o = parser.parse(Files.readAllBytes(f));
      assertThat(o).as(f.toString()).isInstanceOf(ParseOutcome.Parsed.class);
      for (ParsedReport r : ((ParseOutcome.Parsed) o).reports()) {
        if (seen.add(r.report().key())) {
          reports++;
          for (PolicyResult p : r.report().policies()) {
            successful += p.successfulSessions();
            failed += p.failedSessions();
          }
        }
      }
    }
    Summaries.Summary s = store.summary();
    assertThat(s.reports()).as("reports").isEqualTo(reports);
    assertThat(s.successful()).as("successful sessions").isEqualTo(successful);
    assertThat(s.failed()).as("failed sessions").isEqualTo(failed);
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    await(done, WAIT, what);
  }

  private static void await(BooleanSupplier done, Duration within, String what)
      throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("not within " + within + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  /** The public sample report e-mails beside the checkout. */
  private static List<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(samplesDir())) {
      return files.filter(f -> f.toString().endsWith(".eml")).sorted().toList();
    }
  }

  private static Path sample(String name) {
    return samplesDir().resolve(name);
  }

  private static Path samplesDir() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("repository root not found");
    }
    Path samples = p.getParent().resolve("shared/samples/public");
    if (!Files.isDirectory(samples)) {
      throw new IllegalStateException("sample reports not found at " + samples);
    }
    return samples;
  }

  private static byte[] crlf(byte[] lf) {
    return new String(lf, StandardCharsets.ISO_8859_1)
        .replace("\r\n", "\n")
        .replace("\n", "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}

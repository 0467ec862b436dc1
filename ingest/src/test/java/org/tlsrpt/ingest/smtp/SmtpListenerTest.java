package org.tlsrpt.ingest.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.IngestTestAccess;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.tls.Tls;

/** The SMTP listener against real clients: swaks (Debian's) and Jakarta Mail, over loopback. */
class SmtpListenerTest {
  private static final String RCPT = "tlsrpt@reports.test";
  private static final char[] PW = "changeit".toCharArray();

  @TempDir static Path tlsDir;
  @TempDir Path dir;

  private static SSLContext tls;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void certificate() {
    tls = Tls.server(Tls.selfSigned(tlsDir, "mx.reports.test", PW), PW);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private SmtpListener listener(Intake intake, int maxBytes) {
    SmtpListener l =
        new SmtpListener(
            new SmtpSettings(
                InetAddress.getLoopbackAddress(),
                0,
                "mx.reports.test",
                Set.of(RCPT),
                tls,
                maxBytes,
                20,
                30),
            intake);
    l.start();
    open.add(l);
    return l;
  }

  private IngestTestAccess store() {
    IngestTestAccess f = IngestTestAccess.embedded(dir);
    open.add(f);
    return f;
  }

  /** Runs swaks; returns its exit status and transcript. */
  private static Swaks swaks(int port, String to, Path data, boolean tlsOn)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "swaks",
                "--server",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--from",
                "reports@sender.test",
                "--to",
                to,
                "--data",
                "@" + data));
    if (tlsOn) {
      cmd.add("--tls");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Swaks(p.exitValue(), out);
  }

  private record Swaks(int status, String transcript) {}

  @Test
  void storesAReportDeliveredOverStartTlsBeforeAnswering250() throws Exception {
    IngestTestAccess f = store();
    SmtpListener l = listener(f.intake(), 10 << 20);
    Swaks s =
        swaks(
            l.port(), RCPT, IngestTestAccess.sample("stalwart__rpt01_rfc_example_gzip.eml"), true);
    assertThat(s.status()).as(s.transcript()).isZero();
    assertThat(s.transcript()).contains("STARTTLS").contains("250 2.0.0 report stored");
    // the 250 came after the write: the report is counted now
    assertThat(f.totals().reports()).isEqualTo(1);
    assertThat(f.query("SELECT source, dkim FROM tlsrpt.reports")).isEqualTo("smtp\tnot-checked");
  }

  @Test
  void refusesOtherRecipientsWith550AndStoresNothing() throws Exception {
    IngestTestAccess f = store();
    SmtpListener l = listener(f.intake(), 10 << 20);
    Swaks s =
        swaks(
            l.port(),
            "postmaster@reports.test",
            IngestTestAccess.sample("isseis__tlsrpt_failure.eml"),
            false);
    assertThat(s.status()).isNotZero();
    assertThat(s.transcript()).contains("550 5.1.1");
    assertThat(f.query("SELECT count() FROM tlsrpt.raw_inputs")).isEqualTo("0");
  }

  @Test
  void refusesMessagesOverTheSizeLimitWith552() throws Exception {
    IngestTestAccess f = store();
    SmtpListener l = listener(f.intake(), 2000);
    Path big = dir.resolve("big.eml");
    Files.writeString(
        big,
        "Subject: big\r\nFrom: a@sender.test\r\n\r\n" + "x".repeat(75).concat("\r\n").repeat(100));
    Swaks s = swaks(l.port(), RCPT, big, false);
    assertThat(s.status()).isNotZero();
    assertThat(s.transcript()).containsPattern("552 ");
    assertThat(f.query("SELECT count() FROM tlsrpt.raw_inputs")).isEqualTo("0");
    assertThat(l.tooLarge()).isEqualTo(1);
  }

  @Test
  void keepsABadReportAsRejectedWithoutBouncingIt() throws Exception {
    IngestTestAccess f = store();
    SmtpListener l = listener(f.intake(), 10 << 20);
    Path bad = dir.resolve("bad.eml");
    Files.writeString(
        bad,
        "From: reports@sender.test\r\nSubject: Report Domain: a.test\r\nContent-Type:"
            + " application/tlsrpt+json\r\n\r\n{\"organization-name\": \"broken\"\r\n");
    Swaks s = swaks(l.port(), RCPT, bad, false);
    assertThat(s.status()).as(s.transcript()).isZero();
    assertThat(s.transcript()).contains("250 2.0.0 kept, but not a valid TLS report");
    assertThat(f.query("SELECT source, code FROM tlsrpt.rejected_inputs"))
        .isEqualTo("smtp\tinvalid_json");
  }

  @Test
  void answers451WhenStorageIsDownAndTheSenderKeepsTheMessage() throws Exception {
    IngestTestAccess down = IngestTestAccess.storageDown();
    open.add(down);
    SmtpListener l = listener(down.intake(), 10 << 20);
    Path mail = IngestTestAccess.sample("isseis__tlsrpt_success_google_1.eml");
    Swaks s = swaks(l.port(), RCPT, mail, false);
    assertThat(s.status()).isNotZero();
    assertThat(s.transcript()).contains("451 4.3.0");
    assertThat(l.deferred()).isEqualTo(1);
    // the sender retries later; with storage back the same message is stored
    IngestTestAccess up = store();
    SmtpListener l2 = listener(up.intake(), 10 << 20);
    assertThat(swaks(l2.port(), RCPT, mail, false).status()).isZero();
    assertThat(up.totals().reports()).isEqualTo(1);
  }

  @Test
  void acceptsJakartaMailWithStartTlsRequired() throws Exception {
    IngestTestAccess f = store();
    SmtpListener l = listener(f.intake(), 10 << 20);
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(l.port()));
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.ssl.trust", "*");
    Session session = Session.getInstance(p);
    MimeMessage m =
        new MimeMessage(
            session,
            new ByteArrayInputStream(
                IngestTestAccess.bytes(
                    IngestTestAccess.sample("isseis__tlsrpt_success_microsoft.eml"))));
    Transport.send(m, new InternetAddress[] {new InternetAddress(RCPT)});
    assertThat(f.totals().reports()).isEqualTo(1);
    MimeMessage other = new MimeMessage(session);
    other.setText("hello");
    other.setFrom("a@sender.test");
    other.setRecipient(Message.RecipientType.TO, new InternetAddress("nobody@reports.test"));
    assertThatThrownBy(() -> Transport.send(other))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("Invalid Addresses");
  }
}

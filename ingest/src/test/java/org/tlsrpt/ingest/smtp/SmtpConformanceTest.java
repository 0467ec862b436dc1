package org.tlsrpt.ingest.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.IngestTestAccess;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.tls.Tls;

/**
 * The SMTP session as RFC 5321 and its extensions have it, checked on the wire with a raw client on
 * loopback: EHLO (RFC 2920 PIPELINING, RFC 2034 ENHANCEDSTATUSCODES, RFC 3207 STARTTLS), pipelined
 * commands answered in order, and every reply after EHLO carrying a status code.
 */
class SmtpConformanceTest {
  private static final String RCPT = "tlsrpt@reports.test";
  private static final String HOST = "mx.reports.test";
  private static final char[] PW = "changeit".toCharArray();

  /** RFC 2034 §4: class.subject.detail after the reply code, on every line. */
  private static final Pattern ENHANCED =
      Pattern.compile("[245][0-9]{2}[ -][245]\\.[0-9]{1,3}\\.[0-9]{1,3}( .*)?");

  @TempDir static Path tlsDir;
  @TempDir Path dir;

  private static SSLContext serverTls;
  private static SSLContext clientTls;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void certificate() {
    serverTls = Tls.server(Tls.selfSigned(tlsDir, HOST, PW), PW);
    clientTls = Tls.client(tlsDir.resolve("self-signed-trust.p12"), PW);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private SmtpListener listener(Intake intake) {
    SmtpListener l =
        new SmtpListener(
            new SmtpSettings(
                InetAddress.getLoopbackAddress(),
                0,
                HOST,
                Set.of(RCPT),
                serverTls,
                1 << 20,
                20,
                30),
            intake);
    l.start();
    open.add(l);
    return l;
  }

  /** An intake whose storage is down: for the protocol alone, where nothing gets to DATA's end. */
  private Intake noStore() {
    IngestTestAccess down = IngestTestAccess.storageDown();
    open.add(down);
    return down.intake();
  }

  private RawSmtpClient connect(SmtpListener l) throws Exception {
    RawSmtpClient c = new RawSmtpClient(l.port());
    open.add(c);
    assertThat(c.reply()).startsWith("220 " + HOST + " ESMTP");
    return c;
  }

  @Test
  void ehloOffersPipeliningAndEnhancedStatusCodesAndStartTlsOnlyOutsideTls() throws Exception {
    RawSmtpClient c = connect(listener(noStore()));
    String plain = c.send("EHLO relay.sender.test\r\n").reply();
    assertThat(plain.split("\n"))
        .containsExactly(
            "250-" + HOST,
            "250-PIPELINING",
            "250-SIZE 1048576",
            "250-8BITMIME",
            "250-STARTTLS",
            "250-ENHANCEDSTATUSCODES",
            "250 SMTPUTF8");
    assertThat(c.send("STARTTLS\r\n").reply()).isEqualTo("220 2.0.0 Ready to start TLS");
    c.startTls(clientTls, HOST);
    String inTls = c.send("EHLO relay.sender.test\r\n").reply();
    // RFC 3207 §4.2: not offered again once TLS is on
    assertThat(inTls).doesNotContain("STARTTLS").contains("250-PIPELINING", "ENHANCEDSTATUSCODES");
    assertThat(c.send("STARTTLS\r\n").reply()).isEqualTo("554 5.5.1 Error: TLS already active");
  }

  @Test
  void answersPipelinedCommandsInOrderAndCountsARedeliveryOnce() throws Exception {
    IngestTestAccess store = IngestTestAccess.embedded(dir);
    open.add(store);
    RawSmtpClient c = connect(listener(store.intake()));
    c.send("EHLO relay.sender.test\r\n").reply();
    byte[] message = data("isseis__tlsrpt_success_google_1.eml");

    // one write: the envelope with a refused recipient among accepted ones, and DATA
    c.send(
        "MAIL FROM:<reports@sender.test> SIZE="
            + message.length
            + " BODY=8BITMIME\r\nRCPT TO:<"
            + RCPT
            + ">\r\nRCPT TO:<stranger@reports.test>\r\nDATA\r\n");
    assertThat(c.replies(4))
        .containsExactly(
            "250 2.1.0 Ok",
            "250 2.1.5 Ok",
            "550 5.1.1 <stranger@reports.test>: no such recipient here",
            "354 End data with <CR><LF>.<CR><LF>");
    // one write: the content, its end, and the next transaction (the same report again)
    c.send(concat(message, ("MAIL FROM:<>\r\nRCPT TO:<" + RCPT + ">\r\nDATA\r\n")));
    assertThat(c.replies(4))
        .containsExactly(
            "250 2.0.0 report stored",
            "250 2.1.0 Ok",
            "250 2.1.5 Ok",
            "354 End data with <CR><LF>.<CR><LF>");
    c.send(concat(message, "QUIT\r\n"));
    assertThat(c.replies(2))
        .containsExactly(
            "250 2.0.0 report stored already (a re-delivery: counted once)", "221 2.0.0 Bye");
    assertThat(c.reply()).isNull();

    assertThat(store.totals().reports()).isEqualTo(1);
    assertThat(store.query("SELECT count() FROM tlsrpt.raw_inputs")).isEqualTo("1");
    assertThat(store.intake().counts())
        .containsEntry("smtp/accepted", 1L)
        .containsEntry("smtp/duplicate", 1L);
  }

  @Test
  void refusesDataWhenNoRecipientWasTakenAndReadsTheCommandsAfterIt() throws Exception {
    RawSmtpClient c = connect(listener(noStore()));
    c.send("EHLO relay.sender.test\r\n").reply();
    // RFC 2920 §3.1: DATA after refused recipients gets no 354, so no content follows it
    c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<b@reports.test>\r\nDATA\r\nNOOP\r\n");
    assertThat(c.replies(4))
        .containsExactly(
            "250 2.1.0 Ok",
            "550 5.1.1 <b@reports.test>: no such recipient here",
            "554 5.5.1 Error: no valid recipients",
            "250 2.0.0 Ok");
    c.send("RSET\r\nMAIL FROM:<a@sender.test> SIZE=2000000\r\nRCPT TO:<" + RCPT + ">\r\nDATA\r\n");
    assertThat(c.replies(4))
        .containsExactly(
            "250 2.0.0 Ok",
            "552 5.3.4 Message size exceeds the limit of 1048576 bytes",
            "503 5.5.1 Error: need MAIL command",
            "503 5.5.1 Error: need MAIL command");
  }

  @Test
  void dropsWhatWasSentInTheClearAfterStartTls() throws Exception {
    RawSmtpClient c = connect(listener(noStore()));
    c.send("EHLO relay.sender.test\r\n").reply();
    // a command injected behind STARTTLS (CVE-2011-0411) must not be taken as sent in TLS
    c.send("STARTTLS\r\nRSET\r\n");
    assertThat(c.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
    c.startTls(clientTls, HOST);
    assertThat(c.send("EHLO relay.sender.test\r\n").reply()).startsWith("250-" + HOST);
  }

  @Test
  void answersEveryCommandAfterEhloWithAnEnhancedStatusCode() throws Exception {
    RawSmtpClient c = connect(listener(noStore()));
    c.send("EHLO relay.sender.test\r\n").reply();
    List<String> commands =
        List.of(
            "NOOP",
            "RSET",
            "VRFY tlsrpt",
            "EXPN tlsrpt",
            "HELP",
            "AUTH PLAIN AGFiAGM=",
            "RCPT TO:<" + RCPT + ">",
            "DATA",
            "MAIL FROM:nonsense here",
            "MAIL FROM:<a@sender.test> RET=HDRS",
            "MAIL FROM:<not an address>",
            "MAIL FROM:<a@sender.test>",
            "MAIL FROM:<a@sender.test>",
            "RCPT TO:<>",
            "RCPT TO:<" + RCPT + "> NOTIFY=NEVER",
            "RCPT TO:<someone@elsewhere.test>",
            "DATA extra",
            "EHLO",
            "STARTTLS now",
            "QUIT");
    c.send(String.join("\r\n", commands) + "\r\n");
    List<String> replies = c.replies(commands.size());
    for (int i = 0; i < commands.size(); i++) {
      assertThat(replies.get(i)).as(commands.get(i)).matches(ENHANCED);
    }
    assertThat(replies.getLast()).isEqualTo("221 2.0.0 Bye");
  }

  @Test
  void endsTheTransactionAfterA451SoTheNextMessageCanFollow() throws Exception {
    SmtpListener l = listener(noStore());
    RawSmtpClient c = connect(l);
    c.send("EHLO relay.sender.test\r\n").reply();
    c.send("MAIL FROM:<reports@sender.test>\r\nRCPT TO:<" + RCPT + ">\r\nDATA\r\n").replies(3);
    c.send(data("isseis__tlsrpt_failure.eml"));
    assertThat(c.reply()).isEqualTo("451 4.3.0 cannot store the message now, try again later");
    c.send("MAIL FROM:<reports@sender.test>\r\nRCPT TO:<" + RCPT + ">\r\nDATA\r\n");
    assertThat(c.replies(3)).startsWith("250 2.1.0 Ok", "250 2.1.5 Ok");
    assertThat(l.deferred()).isEqualTo(1);
  }

  @Test
  void refusesBdatAndClosesTheConnectionBeforeTheChunk() throws Exception {
    RawSmtpClient c = connect(listener(noStore()));
    String ehlo = c.send("EHLO relay.sender.test\r\n").reply();
    assertThat(ehlo).doesNotContain("CHUNKING");
    c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<" + RCPT + ">\r\nBDAT 6 LAST\r\nQUIT\r\n");
    assertThat(c.replies(3))
        .containsExactly(
            "250 2.1.0 Ok",
            "250 2.1.5 Ok",
            "502 5.5.1 BDAT is not offered (no CHUNKING): send the message with DATA");
    assertThat(c.reply()).isNull(); // "QUIT\r\n" was chunk data: not read as a command
  }

  /** A sample as DATA content: CRLF line ends, dot-stuffed, and the terminating line. */
  private static byte[] data(String sample) {
    String text =
        new String(IngestTestAccess.bytes(IngestTestAccess.sample(sample)), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
      out.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
    }
    return out.append(".\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, String b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}

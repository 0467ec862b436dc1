package org.tlsrpt.ingest.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.IngestTestAccess;
import org.tlsrpt.ingest.tls.Tls;
import org.tlsrpt.storage.Summaries;

/**
 * Debian's Postfix 3.7 relaying report mail to the SMTP listener on loopback, as a reporting
 * organization's MTA does: in the clear and with STARTTLS (Postfix's {@code encrypt} level,
 * trusting the listener's certificate), into a real embedded store. What Postfix logs for each
 * message is checked (sent with the listener's reply, bounced for a stranger, deferred with 451
 * while storage refuses writes, then sent), with the stored totals against what was sent, and the
 * SMTP dialog Postfix logs: PIPELINING used, no STARTTLS offered inside TLS.
 */
class PostfixRelayIT {
  private static final String HOST = "mx.reports.test";
  private static final String TLS_RCPT = "tlsrpt@reports.test";
  private static final String PLAIN_RCPT = "tlsrpt@plain.reports.test";
  private static final String FROM = "reports@sender.test";
  private static final char[] PW = "changeit".toCharArray();

  @TempDir static Path dir;

  private static IngestTestAccess store;
  private static SmtpListener tlsListener;
  private static SmtpListener plainListener;
  private static PostfixRelay postfix;

  @BeforeAll
  static void start() throws Exception {
    Path tlsDir = dir.resolve("tls");
    SSLContext tls = Tls.server(Tls.selfSigned(tlsDir, HOST, PW), PW);
    store = IngestTestAccess.embedded(dir.resolve("store"));
    tlsListener = listener(TLS_RCPT, tls);
    plainListener = listener(PLAIN_RCPT, null);
    String plainHop = "[127.0.0.1]:" + plainListener.port();
    postfix =
        PostfixRelay.start(
            dir,
            List.of(
                // what a reporting MTA does for tlsrpt's address: relay to it, TLS required
                "relayhost = [127.0.0.1]:" + tlsListener.port(),
                "smtp_tls_security_level = encrypt",
                "smtp_tls_CAfile = " + tlsDir.resolve("self-signed.crt"),
                // the listener without TLS, with opportunistic TLS (none offered: in the clear)
                "transport_maps = inline:{ {plain.reports.test = smtp:"
                    + plainHop
                    + "},"
                    + " {sender.test = discard:bounces are not kept} }",
                "smtp_tls_policy_maps = inline:{ {" + plainHop + " = may} }"));
  }

  private static SmtpListener listener(String rcpt, SSLContext tls) {
    SmtpListener l =
        new SmtpListener(
            new SmtpSettings(
                InetAddress.getLoopbackAddress(), 0, HOST, Set.of(rcpt), tls, 10 << 20, 20, 30),
            store.intake());
    l.start();
    return l;
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (postfix != null) {
        // kept for whoever reads a failure (target/ is the module's build directory)
        Files.writeString(Path.of("target", "PostfixRelayIT-maillog.txt"), postfix.log());
        postfix.close();
      }
    } finally {
      for (AutoCloseable c : new AutoCloseable[] {tlsListener, plainListener, store}) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  @Test
  void relaysReportsInTheClearPipelinedAndCountsARedeliveryOnce() throws Exception {
    Summaries.Summary before = store.totals();
    Map<String, Long> counted = store.intake().counts();
    Report first = new Report("plain-1", 100, 3);
    String q1 = send(first, "m-plain-1", PLAIN_RCPT);
    assertThat(postfix.delivery(q1, PLAIN_RCPT, "sent"))
        .contains("relay=127.0.0.1[127.0.0.1]:" + plainListener.port())
        .endsWith("status=sent (250 2.0.0 report stored)");
    List<String> queued = new ArrayList<>();
    queued.add(send(new Report("plain-2", 250, 0), "m-plain-2", PLAIN_RCPT));
    queued.add(send(new Report("plain-3", 7, 7), "m-plain-3", PLAIN_RCPT));
    // the first report again, in a message of its own (another Message-ID and Received header)
    String again = send(first, "m-plain-1-again", PLAIN_RCPT);
    for (String q : queued) {
      assertThat(postfix.delivery(q, PLAIN_RCPT, "sent"))
          .endsWith("status=sent (250 2.0.0 report stored)");
    }
    assertThat(postfix.delivery(again, PLAIN_RCPT, "sent"))
        .endsWith("status=sent (250 2.0.0 report stored already (a re-delivery: counted once))");

    Summaries.Summary after = store.totals();
    assertThat(after.reports() - before.reports()).isEqualTo(3);
    assertThat(after.successful() - before.successful()).isEqualTo(100 + 250 + 7);
    assertThat(after.failed() - before.failed()).isEqualTo(3 + 0 + 7);
    Map<String, Long> now = store.intake().counts();
    assertThat(delta(counted, now, "smtp/accepted")).isEqualTo(3);
    assertThat(delta(counted, now, "smtp/duplicate")).isEqualTo(1);

    assertThat(postfix.log())
        .contains("Using ESMTP PIPELINING")
        .doesNotContain(
            "TLS connection established to 127.0.0.1[127.0.0.1]:" + plainListener.port());
    // RFC 2920: in every transaction Postfix sent RCPT and DATA before the reply to MAIL came
    int transactions = 0;
    for (List<String> d : dialogs(plainListener.port())) {
      for (int i = 0; i < d.size(); i++) {
        if (d.get(i).startsWith("> MAIL FROM:")) {
          transactions++;
          assertThat(d.subList(i, i + 4))
              .extracting(line -> line.split(":")[0])
              .containsExactly("> MAIL FROM", "> RCPT TO", "> DATA", "< 250 2.1.0 Ok");
        }
      }
    }
    assertThat(transactions).isGreaterThanOrEqualTo(4);
  }

  @Test
  void relaysOverStartTlsASixMegabyteReportToo() throws Exception {
    Summaries.Summary before = store.totals();
    Report big = Report.ofAtLeast("tls-big", 6 << 20);
    Report small = new Report("tls-small", 42, 1);
    String qBig = send(big, "m-tls-big", TLS_RCPT);
    String qSmall = send(small, "m-tls-small", TLS_RCPT);
    for (String q : List.of(qBig, qSmall)) {
      assertThat(postfix.delivery(q, TLS_RCPT, "sent"))
          .contains("relay=127.0.0.1[127.0.0.1]:" + tlsListener.port())
          .endsWith("status=sent (250 2.0.0 report stored)");
    }
    Summaries.Summary after = store.totals();
    assertThat(after.reports() - before.reports()).isEqualTo(2);
    assertThat(after.successful() - before.successful()).isEqualTo(big.ok() + 42);
    assertThat(after.failed() - before.failed()).isEqualTo(big.failed() + 1);

    // the listener's certificate, verified against the CA file Postfix was given
    assertThat(postfix.log())
        .contains(
            "Trusted TLS connection established to 127.0.0.1[127.0.0.1]:" + tlsListener.port());
    // RFC 3207 §4.2: the EHLO answer inside TLS offers no STARTTLS; the one before did
    int sessions = 0;
    for (List<String> d : dialogs(tlsListener.port())) {
      for (int i = 0; i < d.size(); i++) {
        if (d.get(i).equals("> STARTTLS")) {
          sessions++;
          assertThat(reply(d, lastIndexOf(d, "> EHLO", i))).contains("< 250-STARTTLS");
          assertThat(reply(d, indexOf(d, "> EHLO", i)))
              .contains("< 250-PIPELINING", "< 250-ENHANCEDSTATUSCODES")
              .noneMatch(line -> line.contains("STARTTLS"));
        }
      }
    }
    assertThat(sessions).isGreaterThanOrEqualTo(1);
  }

  @Test
  void bouncesAStrangerWith550AndDeliversToTheRest() throws Exception {
    Summaries.Summary before = store.totals();
    String stranger = "postmaster@reports.test";
    String q = send(new Report("bounce-1", 5, 0), "m-bounce-1", stranger, TLS_RCPT);
    assertThat(postfix.delivery(q, stranger, "bounced"))
        .endsWith(
            "dsn=5.1.1, status=bounced (host 127.0.0.1[127.0.0.1] said: 550 5.1.1"
                + " <postmaster@reports.test>: no such recipient here (in reply to RCPT TO"
                + " command))");
    assertThat(postfix.delivery(q, TLS_RCPT, "sent"))
        .endsWith("status=sent (250 2.0.0 report stored)");
    assertThat(store.totals().reports() - before.reports()).isEqualTo(1);
  }

  @Test
  void defersWith451WhileStorageRefusesWritesAndDeliversWhenItIsBack() throws Exception {
    Summaries.Summary before = store.totals();
    Map<String, Long> counted = store.intake().counts();
    String q;
    store.ch.execute("DETACH TABLE tlsrpt.raw_inputs"); // every write starts with this table
    try {
      q = send(new Report("deferred-1", 11, 2), "m-deferred-1", TLS_RCPT);
      assertThat(postfix.delivery(q, TLS_RCPT, "deferred"))
          .endsWith(
              "status=deferred (host 127.0.0.1[127.0.0.1] said: 451 4.3.0 cannot store the"
                  + " message now, try again later (in reply to end of DATA command))");
    } finally {
      store.ch.execute("ATTACH TABLE tlsrpt.raw_inputs");
    }
    assertThat(delta(counted, store.intake().counts(), "smtp/deferred")).isEqualTo(1);
    postfix.flush();
    assertThat(postfix.delivery(q, TLS_RCPT, "sent"))
        .endsWith("status=sent (250 2.0.0 report stored)");
    Summaries.Summary after = store.totals();
    assertThat(after.reports() - before.reports()).isEqualTo(1);
    assertThat(after.successful() - before.successful()).isEqualTo(11);
    assertThat(after.failed() - before.failed()).isEqualTo(2);
  }

  /** Writes the report as an e-mail and hands it to Postfix; returns its queue id. */
  private static String send(Report r, String messageId, String... to) throws Exception {
    Path file = dir.resolve(messageId + ".eml");
    Files.writeString(file, r.mail(messageId), StandardCharsets.UTF_8);
    return postfix.send(file, messageId + "@sender.test", FROM, to);
  }

  /**
   * Postfix's dialogs with the listener on this port, one per smtp process (each runs one session
   * at a time; processes run side by side), as "> sent" and "< received" lines in order.
   */
  private static List<List<String>> dialogs(int port) throws Exception {
    Pattern p =
        Pattern.compile(
            "postfix/smtp\\[(\\d+)\\]: ([<>]) 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:"
                + port
                + ": (.*)");
    Map<String, List<String>> byProcess = new LinkedHashMap<>();
    for (String line : postfix.log().split("\n")) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        byProcess
            .computeIfAbsent(m.group(1), k -> new ArrayList<>())
            .add(m.group(2) + " " + m.group(3));
      }
    }
    return List.copyOf(byProcess.values());
  }

  /** The reply lines after the command at {@code i}, up to the next command. */
  private static List<String> reply(List<String> dialog, int i) {
    int end = i + 1;
    while (end < dialog.size() && dialog.get(end).startsWith("<")) {
      end++;
    }
    return dialog.subList(i + 1, end);
  }

  private static int indexOf(List<String> lines, String prefix, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no '" + prefix + "' in Postfix's dialog: " + lines);
  }

  private static int lastIndexOf(List<String> lines, String prefix, int before) {
    for (int i = before - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no '" + prefix + "' in Postfix's dialog: " + lines);
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
    return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
  }

  /**
   * A TLS report (RFC 8460) with {@code ok} successful sessions and {@code failed} failure-details
   * of one failed session each, sent as an application/tlsrpt+json message.
   */
  private record Report(String id, long ok, int failed) {
    /** A report whose message is at least {@code bytes} long. */
    static Report ofAtLeast(String id, int bytes) {
      int perDetail = detail(0).length();
      return new Report(id, 1000, bytes / perDetail + 1);
    }

    private static String detail(int i) {
      return "{\"result-type\": \"certificate-expired\", \"sending-mta-ip\": \"10."
          + (i >> 16 & 255)
          + "."
          + (i >> 8 & 255)
          + "."
          + (i & 255)
          + "\", \"receiving-mx-hostname\": \"mx"
          + i
          + ".policy.test\", \"receiving-ip\": \"192.0.2.1\", \"failed-session-count\": 1,"
          + " \"additional-information\": \"https://sender.test/tlsrpt/detail/"
          + i
          + "\"}";
    }

    String mail(String messageId) {
      StringBuilder json = new StringBuilder();
      json.append("{\"organization-name\": \"Sender Test\",\n")
          .append("\"date-range\": {\"start-datetime\": \"2026-11-01T00:00:00Z\",")
          .append(" \"end-datetime\": \"2026-11-01T23:59:59Z\"},\n")
          .append("\"contact-info\": \"tlsrpt@sender.test\",\n")
          .append("\"report-id\": \"")
          .append(id)
          .append("\",\n\"policies\": [{\"policy\": {\"policy-type\": \"sts\",")
          .append(" \"policy-string\": [\"version: STSv1\", \"mode: enforce\",")
          .append(
              " \"mx: *.policy.test\", \"max_age: 86400\"], \"policy-domain\": \"policy.test\"},\n")
          .append("\"summary\": {\"total-successful-session-count\": ")
          .append(ok)
          .append(", \"total-failure-session-count\": ")
          .append(failed)
          .append("},\n\"failure-details\": [");
      for (int i = 0; i < failed; i++) {
        json.append(i == 0 ? "\n" : ",\n").append(detail(i));
      }
      json.append("]}]}\n");
      return "From: TLS reports <"
          + FROM
          + ">\nTo: <"
          + TLS_RCPT
          + ">\nSubject: Report Domain: policy.test Submitter: sender.test Report-ID: <"
          + id
          + ">\nMessage-ID: <"
          + messageId
          + "@sender.test>\nTLS-Report-Domain: policy.test\nTLS-Report-Submitter: sender.test\n"
          + "MIME-Version: 1.0\nContent-Type: application/tlsrpt+json\n\n"
          + json;
    }
  }
}

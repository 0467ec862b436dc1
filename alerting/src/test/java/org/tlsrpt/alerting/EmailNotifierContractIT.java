package org.tlsrpt.alerting;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.testkit.FreePorts;

/** The e-mail channel against a real SMTP server on loopback that requires STARTTLS. */
class EmailNotifierContractIT implements NotifierContract {
  private static final char[] PW = "changeit".toCharArray();
  @TempDir Path dir;
  private StartTlsMailbox mailbox;

  @BeforeEach
  void start() throws Exception {
    mailbox = new StartTlsMailbox(dir.resolve("tls"), PW);
  }

  @AfterEach
  void stop() {
    mailbox.close();
  }

  private EmailNotifier to(int port) throws Exception {
    return new EmailNotifier(
        "localhost",
        port,
        EmailNotifier.StartTls.REQUIRED,
        mailbox.clientTls(),
        "",
        "",
        "tlsrpt@alerts.test",
        "postmaster@example.com");
  }

  @Override
  public Notifier notifier() throws Exception {
    return to(mailbox.port());
  }

  @Override
  public Notifier notifierToNowhere() throws Exception {
    int free = FreePorts.tcp(); // closed again: nothing listens there
    return to(free);
  }

  @Override
  public List<String> received() {
    return mailbox.mails();
  }
}

package org.tlsrpt.alerting;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.server.SMTPServer;
import org.tlsrpt.ingest.tls.Tls;

/** The e-mail channel against a real SMTP server on loopback that requires STARTTLS. */
class EmailNotifierContractIT implements NotifierContract {
  private static final char[] PW = "changeit".toCharArray();
  private final List<String> mails = new CopyOnWriteArrayList<>();
  @TempDir Path dir;
  private SMTPServer smtp;
  private Path trust;

  @BeforeEach
  void start() throws Exception {
    Path keys = Tls.selfSigned(dir.resolve("tls"), "localhost", PW);
    trust = keys.resolveSibling("self-signed-trust.p12");
    smtp =
        SMTPServer.port(0)
            .bindAddress(java.net.InetAddress.getLoopbackAddress())
            .hostName("localhost")
            .enableTLS()
            .requireTLS()
            .startTlsSocketFactory(Tls.server(keys, PW))
            .messageHandlerFactory(
                ctx ->
                    new org.subethamail.smtp.MessageHandler() {
                      @Override
                      public void from(String from) {}

                      @Override
                      public void recipient(String recipient) {}

                      @Override
                      public String data(InputStream data) throws java.io.IOException {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        data.transferTo(b);
                        mails.add(b.toString(StandardCharsets.UTF_8));
                        return null;
                      }

                      @Override
                      public void done() {}
                    })
            .build();
    smtp.start();
  }

  @AfterEach
  void stop() {
    smtp.stop();
  }

  private EmailNotifier to(int port) throws Exception {
    return new EmailNotifier(
        "localhost",
        port,
        EmailNotifier.StartTls.REQUIRED,
        Tls.client(trust, PW),
        "",
        "",
        "tlsrpt@alerts.test",
        "postmaster@example.com");
  }

  @Override
  public Notifier notifier() throws Exception {
    return to(smtp.getPortAllocated());
  }

  @Override
  public Notifier notifierToNowhere() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort(); // closed again: nothing listens there
    }
    return to(free);
  }

  @Override
  public List<String> received() {
    return mails;
  }
}

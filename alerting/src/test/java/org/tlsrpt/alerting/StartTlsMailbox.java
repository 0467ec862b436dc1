package org.tlsrpt.alerting;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;
import org.tlsrpt.ingest.tls.Tls;

/**
 * A real SMTP server on loopback (SubEthaSMTP) that requires STARTTLS with a self-signed
 * certificate for "localhost" and keeps every message it receives, for the e-mail channel's tests.
 */
final class StartTlsMailbox implements AutoCloseable {
  private final List<String> mails = new CopyOnWriteArrayList<>();
  private final SMTPServer server;
  private final Path trust;
  private final char[] password;

  StartTlsMailbox(Path dir, char[] password) throws Exception {
    this.password = password;
    Path keys = Tls.selfSigned(dir, "localhost", password);
    this.trust = keys.resolveSibling("self-signed-trust.p12");
    this.server =
        SMTPServer.port(0)
            .bindAddress(InetAddress.getLoopbackAddress())
            .hostName("localhost")
            .enableTLS()
            .requireTLS()
            .startTlsSocketFactory(Tls.server(keys, password))
            .messageHandlerFactory(ctx -> new Keeping())
            .build();
    server.start();
  }

  int port() {
    return server.getPortAllocated();
  }

  /** The PKCS12 trust store holding the server's certificate. */
  Path trustStore() {
    return trust;
  }

  /** A TLS context that trusts the server's certificate. */
  SSLContext clientTls() {
    return Tls.client(trust, password);
  }

  /** Every message received so far, as text, in order. */
  List<String> mails() {
    return mails;
  }

  @Override
  public void close() {
    server.stop();
  }

  private final class Keeping implements MessageHandler {
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
  }
}

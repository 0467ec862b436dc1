package org.tlsrpt.ingest.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.TooMuchDataException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.SSLSocketCreator;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.Receipt;
import org.tlsrpt.storage.Source;

/**
 * Receives report e-mails over SMTP (SubEthaSMTP, with this package's commands): accepts mail for
 * the configured recipients only (550 otherwise), answers 250 only once the message is durably
 * stored, 451 when it cannot be stored now, and never bounces a bad report (it is stored as
 * rejected, with its reason, and accepted: the sender could do nothing about it). The session
 * offers PIPELINING, ENHANCEDSTATUSCODES and, outside TLS, STARTTLS (see {@link EhloCommand}).
 */
public final class SmtpListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);

  private final SMTPServer server;
  private final Intake intake;
  private final SmtpSettings settings;

  /** Messages stored (accepted, duplicate, quarantined or rejected), refused for size, and 451. */
  private final AtomicLong stored = new AtomicLong();

  private final AtomicLong tooLarge = new AtomicLong();
  private final AtomicLong deferred = new AtomicLong();

  public SmtpListener(SmtpSettings settings, Intake intake) {
    this.settings = settings;
    this.intake = intake;
    SMTPServer.Builder b =
        SMTPServer.port(settings.port())
            .bindAddress(settings.bindAddress())
            .hostName(settings.hostName())
            .softwareName("tlsrpt")
            .messageHandlerFactory(Transaction::new)
            .sessionHandler(new NoDelay())
            .maxMessageSize(settings.maxMessageBytes())
            .maxConnections(settings.maxConnections())
            .connectionTimeout(settings.connectionTimeoutSeconds(), TimeUnit.SECONDS)
            .insertReceivedHeaders(false); // the bytes stored are the bytes received
    if (settings.tls() != null) {
      b.enableTLS().startTlsSocketFactory(serverSide(settings.tls()));
    }
    this.server = b.build();
    SmtpCommands.install(server);
  }

  /**
   * The TLS side of STARTTLS with the context's own protocols and cipher suites (SubEthaSMTP's
   * default creator turns on every supported one, and looks up the client's host name in DNS).
   */
  private static SSLSocketCreator serverSide(SSLContext tls) {
    return socket -> {
      SSLSocket s =
          (SSLSocket)
              tls.getSocketFactory()
                  .createSocket(
                      socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
      s.setUseClientMode(false);
      return s;
    };
  }

  /**
   * Replies go out at once (TCP_NODELAY): with PIPELINING a client waits for several short replies
   * in a row, and Nagle's algorithm would hold each back until the one before was acknowledged.
   */
  private static final class NoDelay implements SessionHandler {
    @Override
    public SessionAcceptance accept(Session session) {
      Socket s = session.getSocket();
      try {
        s.setTcpNoDelay(true);
      } catch (IOException e) {
        LOG.debug("SMTP: TCP_NODELAY not set: {}", e.toString());
      }
      return SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session session) {}
  }

  public void start() {
    server.start();
    LOG.info("SMTP listener on {}:{}", settings.bindAddress().getHostAddress(), port());
  }

  /** The port listened on (the one picked when the settings said 0). */
  public int port() {
    return server.getPortAllocated();
  }

  public long stored() {
    return stored.get();
  }

  public long tooLarge() {
    return tooLarge.get();
  }

  public long deferred() {
    return deferred.get();
  }

  /** Stops accepting connections; sessions in progress are cut, unacknowledged mail is retried. */
  @Override
  public void close() {
    server.stop();
  }

  /** One mail transaction, from MAIL to the end of DATA (or RSET). */
  private final class Transaction implements MessageHandler {
    private final MessageContext context;
    private final Map<String, String> transport = new LinkedHashMap<>();

    Transaction(MessageContext context) {
      this.context = context;
    }

    @Override
    public void from(String from) {
      if (context.getRemoteAddress() instanceof InetSocketAddress a) {
        transport.put("client", a.getAddress().getHostAddress());
      }
      context.getHelo().ifPresent(h -> transport.put("helo", h));
      transport.put("mail-from", from == null ? "" : from);
    }

    @Override
    public void recipient(String recipient) throws RejectException {
      String r = recipient == null ? "" : recipient.trim().toLowerCase(Locale.ROOT);
      if (!settings.recipients().contains(r)) {
        throw new RejectException(550, "5.1.1 <" + recipient + ">: no such recipient here");
      }
      transport.merge("rcpt-to", r, (a, b) -> a + "," + b);
    }

    @Override
    public String data(InputStream data) throws RejectException, TooMuchDataException, IOException {
      byte[] raw = readAtMost(data, settings.maxMessageBytes());
      if (raw == null) {
        tooLarge.incrementAndGet();
        String reply = "5.3.4 message larger than " + settings.maxMessageBytes() + " bytes";
        log("too_large", -1, 552, reply);
        throw new RejectException(552, reply);
      }
      Receipt r = intake.accept(Envelope.mail(raw, Source.SMTP, transport));
      String reply =
          switch (r) {
            case Receipt.TryLater later -> {
              deferred.incrementAndGet();
              String why = "4.3.0 cannot store the message now, try again later";
              LOG.warn(
                  "smtp message {} outcome=deferred bytes={} reply=\"451 {}\": {}",
                  envelope(),
                  raw.length,
                  why,
                  later.reason());
              throw new RejectException(451, why);
            }
            case Receipt.Stored s -> "2.0.0 report stored";
            case Receipt.Duplicate d -> "2.0.0 report stored already (a re-delivery: counted once)";
            case Receipt.Quarantined q -> "2.0.0 report stored in quarantine (DKIM)";
            case Receipt.Rejected x -> "2.0.0 kept, but not a valid TLS report";
          };
      stored.incrementAndGet();
      log(r.outcomeLabel(), raw.length, 250, reply);
      return reply;
    }

    private void log(String outcome, int bytes, int code, String reply) {
      LOG.info(
          "smtp message {} outcome={}{} reply=\"{} {}\"",
          envelope(),
          outcome,
          bytes < 0 ? "" : " bytes=" + bytes,
          code,
          reply);
    }

    private String envelope() {
      return "client="
          + transport.getOrDefault("client", "?")
          + " from=<"
          + transport.getOrDefault("mail-from", "")
          + "> to=<"
          + transport.getOrDefault("rcpt-to", "")
          + ">";
    }

    @Override
    public void done() {}
  }

  /** The whole stream, or null when it holds more than {@code max} bytes. */
  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > max) {
        in.transferTo(java.io.OutputStream.nullOutputStream()); // drain so the session can answer
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}

package org.tlsrpt.ingest.smtp;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * {@code STARTTLS} (RFC 3207): the TLS handshake, then a fresh session. Whatever the client sent
 * after STARTTLS in the clear is dropped with the old input buffer (§4.2 and §6: a command
 * pipelined there must not be taken as sent inside TLS), and the state from before is forgotten
 * (§4.2: the client says EHLO again). A failed handshake ends the connection: nothing sent after it
 * could be read.
 */
final class StartTlsCommand extends BaseCommand {
  private static final Logger LOG = LoggerFactory.getLogger(StartTlsCommand.class);

  StartTlsCommand() {
    super("STARTTLS", "Starts TLS.");
  }

  @Override
  public void execute(String commandString, Session sess) throws IOException {
    if (!commandString.strip().equalsIgnoreCase("STARTTLS")) {
      sess.sendResponse("501 5.5.4 Syntax: STARTTLS");
      return;
    }
    if (!sess.getServer().getEnableTLS()) {
      sess.sendResponse("454 4.7.0 TLS not available");
      return;
    }
    Socket plain = sess.getSocket();
    if (sess.isTLSStarted() || plain instanceof SSLSocket) {
      sess.sendResponse("554 5.5.1 Error: TLS already active");
      return;
    }
    sess.sendResponse("220 2.0.0 Ready to start TLS");
    SSLSocket tls;
    try {
      tls = sess.getServer().createSSLSocket(plain);
      tls.startHandshake();
    } catch (IOException e) {
      LOG.info(
          "SMTP: TLS handshake with {} failed: {}",
          plain.getInetAddress().getHostAddress(),
          e.toString());
      sess.quit();
      return;
    }
    sess.setSocket(tls); // a new input buffer: nothing from before the handshake is read
    sess.resetSmtpProtocol();
    sess.setTlsStarted(true);
  }
}

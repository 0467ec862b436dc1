package org.tlsrpt.ingest.smtp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * {@code EHLO}: the extensions this listener really implements, each once, and nothing after the
 * last (SubEthaSMTP's own answer ends with a line "250 Ok", offers STARTTLS again inside TLS, and
 * offers neither PIPELINING nor ENHANCEDSTATUSCODES although it sends such codes).
 *
 * <ul>
 *   <li>PIPELINING (RFC 2920): commands are read one at a time from a buffered stream and answered
 *       in order, so a client may send MAIL, RCPT and DATA in one go;
 *   <li>SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531): the message is stored as the
 *       bytes received;
 *   <li>STARTTLS (RFC 3207) only before TLS is on: §4.2 forbids offering it again;
 *   <li>ENHANCEDSTATUSCODES (RFC 2034): every reply of this listener to a command after EHLO
 *       carries one (RFC 3463 codes).
 * </ul>
 *
 * CHUNKING (RFC 3030) is not offered: report mail is small, every client falls back to DATA, and
 * SubEthaSMTP's BDAT answers without enhanced status codes.
 */
final class EhloCommand extends BaseCommand {
  EhloCommand() {
    super("EHLO", "Introduce yourself.", "<hostname>");
  }

  @Override
  public void execute(String commandString, Session sess) throws IOException {
    String[] args = getArgs(commandString);
    if (args.length != 2) {
      sess.sendResponse("501 5.5.4 Syntax: EHLO hostname");
      return;
    }
    sess.resetMailTransaction();
    sess.setHelo(args[1]);
    List<String> lines = new ArrayList<>();
    lines.add(sess.getServer().getHostName());
    lines.add("PIPELINING");
    if (sess.getServer().getMaxMessageSize() > 0) {
      lines.add("SIZE " + sess.getServer().getMaxMessageSize());
    }
    lines.add("8BITMIME");
    if (sess.getServer().getEnableTLS() && !sess.isTLSStarted()) {
      lines.add("STARTTLS");
    }
    lines.add("ENHANCEDSTATUSCODES");
    lines.add("SMTPUTF8");
    StringBuilder reply = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      reply.append(i == 0 ? "" : "\r\n").append(i < lines.size() - 1 ? "250-" : "250 ");
      reply.append(lines.get(i));
    }
    sess.sendResponse(reply.toString());
  }
}

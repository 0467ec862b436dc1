package org.tlsrpt.ingest.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * {@code DATA} (RFC 5321 §4.1.1.4): reads the message up to {@code CRLF.CRLF}, hands it to the
 * message handler, and answers with the handler's reply. With PIPELINING, DATA comes last in a
 * group after RCPTs that may all have been refused: then it gets 554 and no 354 (RFC 2920 §3.1, RFC
 * 5321 §3.3), so the client sends no content. The transaction ends after the content whatever the
 * reply (SubEthaSMTP kept it open after a refusal, so the next MAIL got 503).
 */
final class DataCommand extends BaseCommand {
  DataCommand() {
    super("DATA", "Sends the message, ended by a line holding a single dot.");
  }

  @Override
  public void execute(String commandString, Session sess)
      throws IOException, DropConnectionException {
    if (!commandString.strip().equalsIgnoreCase("DATA")) {
      sess.sendResponse("501 5.5.4 Syntax: DATA");
      return;
    }
    if (!sess.isMailTransactionInProgress()) {
      sess.sendResponse("503 5.5.1 Error: need MAIL command");
      return;
    }
    if (sess.getRecipientCount() == 0) {
      sess.sendResponse("554 5.5.1 Error: no valid recipients");
      return;
    }
    sess.sendResponse("354 End data with <CR><LF>.<CR><LF>");
    InputStream content = new MessageContent(sess.getRawInput());
    String reply;
    try {
      String text = sess.getMessageHandler().data(content);
      reply = "250 " + (text == null ? "2.0.0 Ok" : text);
    } catch (DropConnectionException e) {
      throw e;
    } catch (RejectException e) {
      reply = e.getErrorResponse();
    } finally {
      content.transferTo(OutputStream.nullOutputStream()); // up to the dot, whatever was read
    }
    sess.resetMailTransaction();
    sess.sendResponse(reply);
  }
}

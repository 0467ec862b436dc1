package org.tlsrpt.ingest.smtp;

import java.io.IOException;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * {@code RCPT TO:<path>} (RFC 5321 §4.1.1.3): adds a recipient, or refuses it with the message
 * handler's reply (550 5.1.1 for an address tlsrpt does not receive for). No RCPT parameter is
 * offered (no DSN), so any gets 555.
 */
final class RcptCommand extends BaseCommand {
  RcptCommand() {
    super("RCPT", "Adds a recipient.", "TO:<recipient>");
  }

  @Override
  public void execute(String commandString, Session sess)
      throws IOException, DropConnectionException {
    if (!sess.isMailTransactionInProgress()) {
      sess.sendResponse("503 5.5.1 Error: need MAIL command");
      return;
    }
    EnvelopePath to = EnvelopePath.parse(getArgPredicate(commandString), "TO:");
    if (to == null) {
      sess.sendResponse("501 5.5.4 Syntax: RCPT TO:<address>");
      return;
    }
    if (!to.isMailbox()) {
      sess.sendResponse("501 5.1.3 Bad recipient address syntax");
      return;
    }
    if (!to.params().isEmpty()) {
      sess.sendResponse(
          "555 5.5.4 Unsupported RCPT parameter: " + to.params().keySet().iterator().next());
      return;
    }
    int max = sess.getServer().getMaxRecipients();
    if (max >= 0 && sess.getRecipientCount() >= max) {
      sess.sendResponse("452 4.5.3 Error: too many recipients");
      return;
    }
    try {
      sess.getMessageHandler().recipient(to.address());
    } catch (DropConnectionException e) {
      throw e;
    } catch (RejectException e) {
      sess.sendResponse(e.getErrorResponse());
      return;
    }
    sess.addRecipient(to.address());
    sess.sendResponse("250 2.1.5 Ok");
  }
}

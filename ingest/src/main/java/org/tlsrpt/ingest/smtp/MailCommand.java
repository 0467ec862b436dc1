package org.tlsrpt.ingest.smtp;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * {@code MAIL FROM:<path> [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]} (RFC 5321 §4.1.1.2): starts a
 * transaction. The null path {@code <>} (bounces) is accepted; a parameter of an extension not
 * offered gets 555 (RFC 5321 §4.1.1.11), a declared size over the limit 552 (RFC 1870).
 */
final class MailCommand extends BaseCommand {
  MailCommand() {
    super("MAIL", "Starts a mail transaction.", "FROM:<sender> [SIZE=n] [BODY=8BITMIME]");
  }

  @Override
  public void execute(String commandString, Session sess)
      throws IOException, DropConnectionException {
    if (sess.isMailTransactionInProgress()) {
      sess.sendResponse("503 5.5.1 Error: nested MAIL command");
      return;
    }
    EnvelopePath from = EnvelopePath.parse(getArgPredicate(commandString), "FROM:");
    if (from == null) {
      sess.sendResponse("501 5.5.4 Syntax: MAIL FROM:<address>");
      return;
    }
    if (!from.address().isEmpty() && !from.isMailbox()) {
      sess.sendResponse("501 5.1.7 Bad sender address syntax");
      return;
    }
    int size = 0;
    for (Map.Entry<String, String> p : from.params().entrySet()) {
      String value = p.getValue();
      switch (p.getKey()) {
        case "SIZE" -> {
          if (!value.matches("[0-9]{1,18}")) {
            sess.sendResponse("501 5.5.4 Bad SIZE parameter: SIZE=" + value);
            return;
          }
          long declared = Long.parseLong(value);
          int max = sess.getServer().getMaxMessageSize();
          if (max > 0 && declared > max) {
            sess.sendResponse("552 5.3.4 Message size exceeds the limit of " + max + " bytes");
            return;
          }
          size = (int) declared;
        }
        case "BODY" -> {
          String body = value.toUpperCase(Locale.ROOT);
          if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
            sess.sendResponse("501 5.5.4 Unsupported BODY parameter: BODY=" + value);
            return;
          }
        }
        case "SMTPUTF8" -> {
          if (!value.isEmpty()) {
            sess.sendResponse("501 5.5.4 SMTPUTF8 takes no value");
            return;
          }
        }
        default -> {
          sess.sendResponse("555 5.5.4 Unsupported MAIL parameter: " + p.getKey());
          return;
        }
      }
    }
    sess.setDeclaredMessageSize(size);
    sess.startMailTransaction();
    try {
      sess.getMessageHandler().from(from.address());
    } catch (DropConnectionException e) {
      sess.resetMailTransaction();
      throw e;
    } catch (RejectException e) {
      sess.resetMailTransaction();
      sess.sendResponse(e.getErrorResponse());
      return;
    }
    sess.sendResponse("250 2.1.0 Ok");
  }
}

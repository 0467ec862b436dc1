package org.tlsrpt.ingest.smtp;

import java.io.IOException;
import java.util.List;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * The listener's commands, in place of SubEthaSMTP's (registered through its command handler, the
 * library's extension point): they answer every command after EHLO with an enhanced status code
 * (RFC 2034, RFC 3463), as EHLO now says they do. HELO stays the library's (its reply needs no such
 * code). What the library answers itself, outside any command, has none: an unknown command (500)
 * and the session's own errors (a line too long or with a bare CR or LF, a timeout).
 */
final class SmtpCommands {
  private SmtpCommands() {}

  /** Puts this listener's commands in the server's command handler. */
  static void install(SMTPServer server) {
    for (Command c :
        List.of(
            new EhloCommand(),
            new MailCommand(),
            new RcptCommand(),
            new DataCommand(),
            new StartTlsCommand(),
            new Reply("RSET", Session::resetMailTransaction, "250 2.0.0 Ok", NOTHING),
            new Reply("NOOP", NOTHING, "250 2.0.0 Ok", NOTHING),
            new Reply("QUIT", NOTHING, "221 2.0.0 Bye", Session::quit),
            new Reply("VRFY", NOTHING, "502 5.5.1 VRFY command is disabled", NOTHING),
            new Reply("EXPN", NOTHING, "502 5.5.1 EXPN command is disabled", NOTHING),
            new Reply("HELP", NOTHING, "214 2.0.0 See RFC 5321 and RFC 8460", NOTHING),
            new Reply("AUTH", NOTHING, "503 5.5.1 Error: authentication not enabled", NOTHING),
            new Refusal(
                "BDAT",
                "502 5.5.1 BDAT is not offered (no CHUNKING): send the message with DATA"))) {
      server.getCommandHandler().addCommand(c);
    }
  }

  /** What a simple command does to the session, before or after its reply. */
  @FunctionalInterface
  private interface Effect {
    void on(Session s);
  }

  private static final Effect NOTHING = s -> {};

  /** A command with one reply, whatever its arguments. */
  private static final class Reply extends BaseCommand {
    private final Effect before;
    private final String reply;
    private final Effect after;

    Reply(String name, Effect before, String reply, Effect after) {
      super(name, reply.substring(4));
      this.before = before;
      this.reply = reply;
      this.after = after;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      before.on(sess);
      sess.sendResponse(reply);
      after.on(sess);
    }
  }

  /**
   * A command refused with the connection closed: what follows it (BDAT's chunk of message bytes)
   * must not be read as commands.
   */
  private static final class Refusal extends BaseCommand {
    private final String reply;

    Refusal(String name, String reply) {
      super(name, "Not offered.");
      this.reply = reply;
    }

    @Override
    public void execute(String commandString, Session sess) throws DropConnectionException {
      throw new DropConnectionException(
          Integer.parseInt(reply.substring(0, 3)), reply.substring(4));
    }
  }
}

package org.tlsrpt.app;

import org.tlsrpt.app.cli.TlsrptCommand;

/** The {@code tlsrpt} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs a command and returns its exit status: 0 fine, 1 something rejected or failed, 2 usage.
   */
  public static int run(String... args) {
    return TlsrptCommand.commandLine().execute(args);
  }
}

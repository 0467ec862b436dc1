package org.tlsrpt.app;

import org.tlsrpt.app.cli.TlsrptCommand;

/** The {@code tlsrpt} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args);
    } catch (Throwable t) { // an Error escapes picocli: exit anyway, or stray threads keep us alive
      System.err.println("tlsrpt: internal error, stopping: " + t);
      t.printStackTrace();
      status = 1;
    }
    // the shutdown hooks run first: serve's and worker's clean stop, then EngineShutdown closes an
    // embedded engine still open (exiting with it open crashed in libchdb, docs/testing.md)
    System.exit(status);
  }

  /**
   * Runs a command and returns its exit status: 0 fine, 1 something rejected or failed, 2 usage.
   */
  public static int run(String... args) {
    return TlsrptCommand.commandLine().execute(args);
  }
}

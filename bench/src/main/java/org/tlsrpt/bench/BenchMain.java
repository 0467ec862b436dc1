package org.tlsrpt.bench;

import org.tlsrpt.app.cli.TlsrptCommand;

/**
 * {@code tlsrpt bench}: the application's command line with the benchmarks added. The launcher runs
 * this jar for {@code ./tlsrpt bench ...}; the application jar does not include it.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args);
    } catch (Throwable t) { // as Main: an Error escapes picocli; exit anyway
      System.err.println("tlsrpt: internal error, stopping: " + t);
      t.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /** Runs a command (usually {@code bench ...}) and returns its exit status. */
  public static int run(String... args) {
    return TlsrptCommand.commandLine(new BenchCommand()).execute(args);
  }
}

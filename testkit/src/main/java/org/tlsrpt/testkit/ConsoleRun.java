package org.tlsrpt.testkit;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * A command-line entry point run in-process with its standard streams captured: what the CLI tests
 * of {@code app} and {@code bench} assert on.
 *
 * @param exit the status the entry point returned
 * @param out what it wrote to standard output
 * @param err what it wrote to standard error
 */
public record ConsoleRun(int exit, String out, String err) {

  /**
   * Runs {@code main} with {@code stdin} as standard input. One run at a time: the streams are the
   * JVM's own.
   */
  public static synchronized ConsoleRun of(InputStream stdin, IntSupplier main) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setIn(stdin);
      int exit = main.getAsInt();
      System.out.flush();
      return new ConsoleRun(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
  }
}

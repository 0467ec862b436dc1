package org.tlsrpt.app;

import java.io.InputStream;
import org.tlsrpt.testkit.ConsoleRun;

/** Runs the CLI ({@link Main}) in-process with captured standard streams. */
record CliRun(int exit, String out, String err) {

  static CliRun of(String... args) {
    return withStdin(InputStream.nullInputStream(), args);
  }

  static CliRun withStdin(InputStream stdin, String... args) {
    ConsoleRun r = ConsoleRun.of(stdin, () -> Main.run(args));
    return new CliRun(r.exit(), r.out(), r.err());
  }
}

package org.tlsrpt.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tlsrpt bench} in the application jar, which does not include the benchmarks: says what
 * they are and how to run them. The bench module's jar puts the real command in its place.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks, each printing its figures: corpus (build a corpus of synthetic reports), parse,"
          + " import, summary, serve and kafka.",
      "They are not part of the application jar: from a checkout, './tlsrpt bench COMMAND' builds"
          + " and runs them from the bench module (bench/target/tlsrpt-bench.jar)."
    })
final class BenchInfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println(
            "tlsrpt: the benchmarks are not part of the application jar; from a checkout run"
                + " './tlsrpt bench --help' (the launcher builds and runs bench/target/"
                + "tlsrpt-bench.jar)");
    return 2;
  }
}

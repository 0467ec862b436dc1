package org.tlsrpt.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a benchmark's child JVM: this JVM's options and class path, another command.
 */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * {@code java} with this JVM's options (less a flight recording or an agent of its own) and
   * {@code extraOptions}, running {@link BenchMain} with {@code args}.
   */
  static List<String> command(List<String> extraOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-XX:StartFlightRecording") && !a.startsWith("-agentlib")) {
        cmd.add(a);
      }
    }
    cmd.addAll(extraOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchMain.class.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }
}

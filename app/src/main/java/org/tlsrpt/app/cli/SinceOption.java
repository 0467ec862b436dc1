package org.tlsrpt.app.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import org.tlsrpt.storage.Summaries;
import picocli.CommandLine.Option;

/** The window of the commands that read the daily summary: {@code --since Nd}. */
final class SinceOption {
  @Option(
      names = "--since",
      defaultValue = "30d",
      paramLabel = "Nd",
      description = "Window in days, e.g. 7d (default: ${DEFAULT-VALUE}).")
  String since;

  /**
   * The first day of the window, or null when {@code --since} is not a window: then the reason is
   * written to {@code err}, after {@code command}'s name.
   */
  LocalDate from(PrintWriter err, String command) {
    try {
      return Summaries.since(since);
    } catch (IllegalArgumentException e) {
      err.println(command + ": --" + e.getMessage());
      return null;
    }
  }
}

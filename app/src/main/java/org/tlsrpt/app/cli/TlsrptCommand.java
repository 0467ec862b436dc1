package org.tlsrpt.app.cli;

import java.nio.file.Path;
import java.util.Map;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level command: global options and the list of subcommands. */
@Command(
    name = "tlsrpt",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Receives, stores, graphs and alerts on SMTP TLS reports (TLS-RPT, RFC 8460).",
      ""
    },
    footer = {
      "",
      "Settings come from --config FILE and TLSRPT_* environment variables;"
          + " see docs/configuration.md.",
      "Run 'tlsrpt COMMAND --help' for the options of a command."
    },
    subcommands = {
      ParseCommand.class,
      ImportCommand.class,
      SummaryCommand.class,
      ReprocessCommand.class,
      ServeCommand.class,
      WorkerCommand.class,
      QuarantineCommand.class,
      CheckCommand.class,
      ReadinessCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TlsrptCommand {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Configuration file of 'key = value' lines (default: $TLSRPT_CONFIG if set).",
      scope = CommandLine.ScopeType.INHERIT)
  Path config;

  /** The settings from --config (or $TLSRPT_CONFIG) and the environment. */
  Settings settings() {
    Map<String, String> env = System.getenv();
    Path file = config;
    if (file == null && env.get("TLSRPT_CONFIG") != null) {
      file = Path.of(env.get("TLSRPT_CONFIG"));
    }
    return Settings.load(file, env, AllSettings.ALL);
  }

  /** The command line of the application jar, whose {@code bench} only says where they are. */
  public static CommandLine commandLine() {
    return commandLine(new BenchInfoCommand());
  }

  /** The command line with {@code bench} as given (the bench module passes the benchmarks). */
  public static CommandLine commandLine(Object bench) {
    CommandLine cl = new CommandLine(new TlsrptCommand());
    cl.addSubcommand("bench", bench);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof ConfigurationException) {
            commandLine.getErr().println("tlsrpt: configuration error: " + ex.getMessage());
            return 2;
          }
          throw ex;
        });
    return cl;
  }
}

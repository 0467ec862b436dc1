package org.tlsrpt.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.app.serve.SummaryJson;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tlsrpt summary}: sessions and failures per sender, domain, MX host or result type. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = {
      "Show sessions and failures per sending organization (or policy domain, MX host, result type),"
          + " with the policy mode, over de-duplicated data.",
      "--format json prints {\"reports\": N, \"successful_sessions\": N, \"failed_sessions\": N,"
          + " \"rows\": [...]}."
    })
final class SummaryCommand implements Callable<Integer> {

  @CommandLine.ParentCommand TlsrptCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin SinceOption since;

  @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only this policy domain.")
  String domain;

  @Option(
      names = "--by",
      defaultValue = "org",
      paramLabel = "org|domain|mx|result",
      description = "Rows per (default: ${DEFAULT-VALUE}).")
  String by;

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "table|json|csv",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @CommandLine.Mixin StoreOptions storeOptions;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    LocalDate from = since.from(err, "tlsrpt summary");
    if (from == null) {
      return CommandLine.ExitCode.USAGE;
    }
    Summaries.By grouping;
    try {
      grouping = Summaries.By.parse(by);
    } catch (IllegalArgumentException e) {
      err.println("tlsrpt summary: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    if (!format.equals("table") && !format.equals("json") && !format.equals("csv")) {
      err.println("tlsrpt summary: --format takes table, json or csv, not '" + format + "'");
      return CommandLine.ExitCode.USAGE;
    }
    StorageSettings storage =
        StorageSettings.from(parent.settings()).withDataDir(storeOptions.dataDir);
    Summaries.Summary s = ThroughServe.summary(storage, since.since, domain, by, err);
    if (s == null) {
      try (ClickHouse ch = storage.open()) {
        s = storage.summaries(ch).summary(from, domain, grouping);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case "json" -> out.println(json(s));
      case "csv" -> {
        out.println("key,modes,reports,successful_sessions,failed_sessions");
        for (Summaries.Row r : s.rows()) {
          out.println(
              csv(r.key())
                  + ","
                  + csv(r.modes())
                  + ","
                  + r.reports()
                  + ","
                  + (r.successful() == null ? "" : r.successful())
                  + ","
                  + r.failed());
        }
      }
      default -> table(out, s, grouping);
    }
    out.flush();
    return 0;
  }

  private static String csv(String v) {
    return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  private static void table(PrintWriter out, Summaries.Summary s, Summaries.By by) {
    String head =
        switch (by) {
          case ORG -> "sending organization";
          case DOMAIN -> "policy domain";
          case MX -> "receiving MX host";
          case RESULT -> "result type";
        };
    int w =
        Math.max(head.length(), s.rows().stream().mapToInt(r -> r.key().length()).max().orElse(0));
    out.printf(
        "%-" + w + "s  %-15s %8s %12s %10s%n", head, "mode", "reports", "successful", "failed");
    for (Summaries.Row r : s.rows()) {
      out.printf(
          "%-" + w + "s  %-15s %8d %12s %10d%n",
          r.key(),
          r.modes().isEmpty() ? "-" : r.modes(),
          r.reports(),
          r.successful() == null ? "-" : r.successful(),
          r.failed());
    }
    out.printf(
        "%ntotal: %d reports, %d successful sessions, %d failed sessions%n",
        s.reports(), s.successful(), s.failed());
  }

  static String json(Summaries.Summary s) {
    return SummaryJson.render(s);
  }
}

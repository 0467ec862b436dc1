package org.tlsrpt.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tlsrpt.app.config.ParserSettings;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.config.Settings;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.StoreResult;
import org.tlsrpt.storage.engine.ClickHouse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tlsrpt import}: back-fills the store from files, directories, mbox files and Maildirs. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import TLS reports into the store: files (.eml, .json, .json.gz, .zip), directories"
          + " (recursively), mbox files and Maildir folders.",
      "Every input is kept, accepted or rejected with its reason; a report already stored counts as"
          + " a duplicate, so running an import again changes no totals. DKIM is not checked for local"
          + " files.",
      "Exit status: 0 when nothing was rejected, 1 when something was, 2 on a usage error."
    })
final class ImportCommand implements Callable<Integer> {
  @CommandLine.ParentCommand TlsrptCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin StoreOptions storeOptions;

  @Option(
      names = "--batch",
      defaultValue = "5000",
      description = "Inputs written per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "Files, directories, mbox files or Maildir folders.")
  List<Path> paths;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files;
    try {
      files = InputFiles.files(paths);
    } catch (IOException e) {
      err.println("tlsrpt import: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    Settings settings = parent.settings();
    ReportParser parser = ParserSettings.from(settings).parser();
    StorageSettings storage = StorageSettings.from(settings).withDataDir(storeOptions.dataDir);
    ImportProgressLine progress =
        new ImportProgressLine(err, files.size(), System.console() != null);
    StoreResult total;
    try (ClickHouse ch = storage.open()) {
      ReportStore store = new ReportStore(ch, storage.database());
      total = new Importer(parser, store, batchSize).run(files, progress::step);
      progress.done(total);
    }
    out.printf(
        "imported %d inputs: %d reports accepted, %d duplicates, %d quarantined, %d rejected%n",
        total.inputs(),
        total.accepted(),
        total.duplicates(),
        total.quarantined(),
        total.rejected());
    for (Map.Entry<String, Integer> e : total.rejectedByCode().entrySet()) {
      out.printf("  rejected %-20s %d%n", e.getKey(), e.getValue());
    }
    out.flush();
    return total.rejected() > 0 ? 1 : 0;
  }
}

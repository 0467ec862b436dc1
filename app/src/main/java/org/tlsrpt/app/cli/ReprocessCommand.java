package org.tlsrpt.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tlsrpt.app.config.ParserSettings;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.config.Settings;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.RawArchive;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.StoreResult;
import org.tlsrpt.storage.engine.ClickHouse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tlsrpt reprocess}: re-parses the raw archive with this version's parser. */
@Command(
    name = "reprocess",
    mixinStandardHelpOptions = true,
    description = {
      "Parse every archived input again with the current parser and rewrite its rows: inputs"
          + " rejected by an older version may now be accepted. Idempotent: running it again changes"
          + " no totals. Quarantined inputs stay quarantined."
    })
final class ReprocessCommand implements Callable<Integer> {
  @CommandLine.ParentCommand TlsrptCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin StoreOptions storeOptions;

  @Option(
      names = "--batch",
      defaultValue = "500",
      description = "Inputs per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() {
    Settings settings = parent.settings();
    ReportParser parser = ParserSettings.from(settings).parser();
    StorageSettings storage = StorageSettings.from(settings).withDataDir(storeOptions.dataDir);
    PrintWriter out = spec.commandLine().getOut();
    StoreResult[] total = {StoreResult.EMPTY};
    try (ClickHouse ch = storage.open()) {
      String db = storage.database();
      ReportStore store = new ReportStore(ch, db);
      RawArchive archive = new RawArchive(ch, db);
      long count = archive.count();
      long[] done = {0};
      archive.forEach(
          batchSize,
          page -> {
            List<Incoming> batch = new ArrayList<>(page.size());
            for (RawArchive.Entry e : page) {
              batch.add(
                  new Incoming(
                      parser.parse(e.raw()),
                      Source.fromWire(e.source()),
                      e.receivedAt(),
                      DkimResult.NOT_CHECKED,
                      e.status().equals("quarantined") ? e.message() : null));
            }
            total[0] = total[0].plus(store.restore(batch));
            done[0] += page.size();
            if (System.console() != null) {
              spec.commandLine()
                  .getErr()
                  .printf("\r%d/%d inputs reprocessed", done[0], count)
                  .flush();
            }
          });
      if (System.console() != null) {
        spec.commandLine().getErr().println();
      }
    }
    StoreResult t = total[0];
    out.printf(
        "reprocessed %d inputs: %d reports written, %d duplicates, %d quarantined, %d rejected%n",
        t.inputs(), t.accepted(), t.duplicates(), t.quarantined(), t.rejected());
    t.rejectedByCode().forEach((code, n) -> out.printf("  rejected %-20s %d%n", code, n));
    out.flush();
    return 0;
  }
}

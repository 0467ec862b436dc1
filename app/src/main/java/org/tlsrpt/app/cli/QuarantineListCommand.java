package org.tlsrpt.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.storage.RawArchive;
import org.tlsrpt.storage.engine.ClickHouse;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tlsrpt quarantine list}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "One line per quarantined input: SHA-256, received time, source, reason.")
final class QuarantineListCommand implements Callable<Integer> {
  @CommandLine.ParentCommand QuarantineCommand parent;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    StorageSettings storage =
        StorageSettings.from(parent.parent.settings()).withDataDir(storeOptions.dataDir);
    PrintWriter out = spec.commandLine().getOut();
    try (ClickHouse ch = storage.open()) {
      List<RawArchive.Entry> q = new RawArchive(ch, storage.database()).quarantined();
      for (RawArchive.Entry e : q) {
        out.printf("%s  %s  %-5s  %s%n", e.sha256(), e.receivedAt(), e.source(), e.message());
      }
      out.printf("%d quarantined%n", q.size());
    }
    out.flush();
    return 0;
  }
}

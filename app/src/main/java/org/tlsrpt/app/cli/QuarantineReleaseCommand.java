package org.tlsrpt.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
import picocli.CommandLine.Parameters;

/** {@code tlsrpt quarantine release}. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = {
      "Count quarantined inputs after all: each is parsed again from its raw bytes and stored as"
          + " accepted (its DKIM column says 'released')."
    })
final class QuarantineReleaseCommand implements Callable<Integer> {
  @CommandLine.ParentCommand QuarantineCommand parent;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin StoreOptions storeOptions;

  @Option(names = "--all", description = "Release every quarantined input.")
  boolean all;

  @Parameters(paramLabel = "SHA256", arity = "0..*", description = "Inputs to release.")
  List<String> shas = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (all == !shas.isEmpty()) {
      err.println(
          "tlsrpt quarantine release: give SHA-256s (see 'tlsrpt quarantine list') or --all");
      return CommandLine.ExitCode.USAGE;
    }
    Settings settings = parent.parent.settings();
    ReportParser parser = ParserSettings.from(settings).parser();
    StorageSettings storage = StorageSettings.from(settings).withDataDir(storeOptions.dataDir);
    try (ClickHouse ch = storage.open()) {
      String db = storage.database();
      Set<String> wanted = new LinkedHashSet<>(shas);
      List<Incoming> batch = new ArrayList<>();
      for (RawArchive.Entry e : new RawArchive(ch, db).quarantined()) {
        if (all || wanted.remove(e.sha256())) {
          batch.add(
              new Incoming(
                  parser.parse(e.raw()),
                  Source.fromWire(e.source()),
                  e.receivedAt(),
                  DkimResult.RELEASED,
                  null));
        }
      }
      if (!wanted.isEmpty()) {
        err.println(
            "tlsrpt quarantine release: not in quarantine: "
                + String.join(", ", wanted)
                + " (see 'tlsrpt quarantine list')");
        return 1;
      }
      StoreResult r = new ReportStore(ch, db).restore(batch);
      out.printf(
          "released %d inputs: %d reports now counted, %d rejected%n",
          batch.size(), r.accepted(), r.rejected());
    }
    out.flush();
    return 0;
  }
}

package org.tlsrpt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tlsrpt.app.cli.Importer;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.config.Settings;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.ReportCounts;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.StoreResult;
import org.tlsrpt.storage.engine.ClickHouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tlsrpt bench import}: imports every file under DIR into a new, empty store, end to end
 * (read, parse, write), and prints reports/s and the peak Java heap.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import every file under DIR into a new empty store and print reports/s (read, parse and"
          + " store, from the first file to the last batch written) and the peak heap, then check"
          + " that the store holds each report once (exit 1 if not).",
      "Build the input with 'tlsrpt bench corpus --count 100000 DIR' and pass DIR/eml. Run with"
          + " TLSRPT_JAVA_OPTS=-Xmx1g to check the memory target."
    })
public final class BenchImportCommand implements Callable<Integer> {
  @Option(
      names = "--batch",
      defaultValue = "5000",
      description = "Inputs per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "Where to create the store (default: a new temporary directory).")
  Path store;

  @Parameters(paramLabel = "DIR", description = "Files to import.")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Path data = store != null ? store : Files.createTempDirectory("tlsrpt-bench-import");
    List<Path> files = Importer.files(List.of(dir));
    Settings settings = Settings.load(null, System.getenv(), org.tlsrpt.app.config.AllSettings.ALL);
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long start = System.nanoTime();
    StoreResult r;
    long stored;
    double seconds;
    try (ClickHouse ch = StorageSettings.from(settings).withDataDir(data).open()) {
      r =
          new Importer(new ReportParser(), new ReportStore(ch, "tlsrpt"), batchSize)
              .run(files, (read, sofar) -> {});
      seconds = (System.nanoTime() - start) / 1e9;
      stored = new ReportCounts(ch, "tlsrpt").reports(); // each report once, after the timing
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        "imported %d files: %d reports accepted, %d duplicates, %d rejected in %.1f s%n",
        files.size(), r.accepted(), r.duplicates(), r.rejected(), seconds);
    System.out.printf("import: %.0f reports/s%n", r.accepted() / seconds);
    System.out.printf(
        "peak heap: %d MiB (max heap %d MiB)%n",
        peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
    boolean match = stored == r.accepted() && r.duplicates() == 0 && r.rejected() == 0;
    System.out.printf(
        "stored totals %s: %d reports in the store, %d accepted%n",
        match ? "match" : "DO NOT MATCH", stored, r.accepted());
    if (store == null) {
      TempStores.delete(data);
    }
    return match ? 0 : 1;
  }
}

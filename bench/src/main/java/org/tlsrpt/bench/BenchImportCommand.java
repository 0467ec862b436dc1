package org.tlsrpt.bench;

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
          + " store, from the first file to the last batch written), the process's CPU time per report"
          + " and the peak heap, then check"
          + " that the store holds each report once (exit 1 if not).",
      "Build the input with 'tlsrpt bench corpus --count 100000 DIR' and pass DIR/eml. Run with"
          + " TLSRPT_JAVA_OPTS=-Xmx512m to check that the import fits in 512 MiB of heap."
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

  /** CPU time this process has used so far, all its threads (the engine's too). */
  static java.time.Duration processCpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
  }

  @Override
  public Integer call() throws Exception {
    Path data = store != null ? store : Files.createTempDirectory("tlsrpt-bench-import");
    List<Path> files = Importer.files(List.of(dir));
    Settings settings = Settings.load(null, System.getenv(), org.tlsrpt.app.config.AllSettings.ALL);
    HeapPeak heap = new HeapPeak();
    java.time.Duration cpu0 = processCpu();
    long start = System.nanoTime();
    StoreResult r;
    long stored;
    double seconds;
    java.time.Duration cpu;
    try (ClickHouse ch = StorageSettings.from(settings).withDataDir(data).open()) {
      r =
          new Importer(new ReportParser(), new ReportStore(ch, "tlsrpt"), batchSize)
              .run(files, (read, sofar) -> {});
      seconds = (System.nanoTime() - start) / 1e9;
      cpu = processCpu().minus(cpu0);
      stored = new ReportCounts(ch, "tlsrpt").reports(); // each report once, after the timing
    }
    long peak = heap.peak();
    heap.close();
    System.out.printf(
        "imported %d files: %d reports accepted, %d duplicates, %d rejected in %.1f s%n",
        files.size(), r.accepted(), r.duplicates(), r.rejected(), seconds);
    System.out.printf("import: %.0f reports/s%n", r.accepted() / seconds);
    System.out.printf(
        "process CPU while timed: %.1f s (%.2f of the %d cores), %.0f microseconds per report"
            + " (all threads: reading, parsing, storing, the engine's merges, JIT, GC)%n",
        cpu.toMillis() / 1e3,
        cpu.toMillis() / 1e3 / seconds,
        Runtime.getRuntime().availableProcessors(),
        cpu.toNanos() / 1e3 / Math.max(1, r.accepted()));
    System.out.printf(
        "peak heap: %d MiB in use at once, garbage not yet collected included (max heap %d"
            + " MiB)%n",
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

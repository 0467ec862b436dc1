package org.tlsrpt.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.config.Settings;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.StoreResult;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tlsrpt bench summary}: fills a new store with reports of many failure details each, parsed
 * and written through {@link ReportStore} as production does, some of them delivered twice ({@link
 * FailureReports}); builds the daily summary once; then times each summary grouping and checks the
 * totals (each report counted once).
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = {
      "Fill a new store with reports holding N failure rows in all (--details rows each), parsed"
          + " and written through the report writer as production does, every --resend-every'th"
          + " report delivered a second time (half in the same bytes, half in other bytes), so the"
          + " writer's de-duplication is part of the load. Then build the daily summary once and"
          + " print the latency of every summary grouping (median and worst of 7 runs, the"
          + " summary's query only), and check that each report counts once (exit 1 if not).",
      "The load prints its own rate; it is not the figure this benchmark is about."
    })
public final class BenchSummaryCommand implements Callable<Integer> {
  /** The latency every grouping should stay under (issue 13). */
  private static final long TARGET_MS = 200;

  @Option(
      names = "--rows",
      defaultValue = "10000000",
      description = "Failure rows in all (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(
      names = "--details",
      defaultValue = "100",
      description = "Failure details (rows) per report (default: ${DEFAULT-VALUE}).")
  int details;

  @Option(
      names = "--resend-every",
      defaultValue = "20",
      description =
          "Deliver every N'th report twice; 0 for never (default: ${DEFAULT-VALUE}, 5 %%).")
  int resendEvery;

  @Option(
      names = "--batch",
      defaultValue = "1000",
      description = "Reports per write (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "Where to create the store (default: a new temporary directory).")
  Path store;

  private record Batch(List<Incoming> inputs, Throwable failure) {}

  @Override
  public Integer call() throws Exception {
    long reports = Math.max(1, rows / details);
    Path data = store != null ? store : Files.createTempDirectory("tlsrpt-bench-summary");
    try {
      return run(data, reports);
    } finally {
      if (store == null) {
        TempStores.delete(data);
      }
    }
  }

  private int run(Path data, long reports) throws Exception {
    Settings settings = Settings.load(null, System.getenv(), AllSettings.ALL);
    boolean ok;
    try (ClickHouse ch = StorageSettings.from(settings).withDataDir(data).open()) {
      System.out.printf(
          "loading %,d reports of %d failure details (%,d failure rows), every %d'th delivered"
              + " twice...%n",
          reports, details, reports * details, resendEvery);
      long t0 = System.nanoTime();
      StoreResult loaded = load(new ReportStore(ch, "tlsrpt"), reports, t0);
      double loadSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "loaded in %.1f s: %,d reports accepted, %,d duplicates (%,.0f reports/s, %,.0f failure"
              + " rows/s)%n",
          loadSeconds,
          loaded.accepted(),
          loaded.duplicates(),
          loaded.accepted() / loadSeconds,
          loaded.accepted() * details / loadSeconds);
      Summaries s = new Summaries(ch, "tlsrpt");
      long b0 = System.nanoTime();
      int built = s.refresh().size();
      System.out.printf(
          "built the daily summary of %d days in %.1f s (once, after the load)%n",
          built, (System.nanoTime() - b0) / 1e9);
      boolean fast = true;
      Summaries.Summary total = null;
      for (Summaries.By by : Summaries.By.values()) {
        long[] ms = new long[7];
        Summaries.Summary result = null;
        for (int i = 0; i < ms.length; i++) {
          long a = System.nanoTime();
          result = s.summary(FailureReports.FIRST_DAY, null, by);
          ms[i] = (System.nanoTime() - a) / 1_000_000;
        }
        Arrays.sort(ms);
        fast &= ms[6] < TARGET_MS;
        total = result;
        System.out.printf(
            "summary --by %-6s median %4d ms, worst %4d ms (%d rows, %,d failed sessions)%s%n",
            by.name().toLowerCase(java.util.Locale.ROOT),
            ms[3],
            ms[6],
            result.rows().size(),
            result.failed(),
            ms[6] < TARGET_MS ? "" : "  over " + TARGET_MS + " ms");
      }
      long successful = 0;
      for (long i = 0; i < reports; i++) {
        successful += FailureReports.successful(i);
      }
      ok =
          loaded.accepted() == reports
              && total.reports() == reports
              && total.failed() == reports * details
              && total.successful() == successful;
      System.out.printf(
          "stored totals %s: %,d reports, %,d failed and %,d successful sessions (generated %,d /"
              + " %,d / %,d)%n",
          ok ? "match" : "DO NOT MATCH",
          total.reports(),
          total.failed(),
          total.successful(),
          reports,
          reports * details,
          successful);
      System.out.printf(
          "every grouping under %d ms: %s%n", TARGET_MS, fast ? "yes" : "NO (see above)");
    }
    return ok ? 0 : 1;
  }

  /** Generates and parses the next batch on one thread while this one writes the last. */
  private StoreResult load(ReportStore writer, long reports, long t0) throws Exception {
    BlockingQueue<Batch> ready = new ArrayBlockingQueue<>(2);
    FailureReports gen = new FailureReports(details);
    Thread producer =
        Thread.ofPlatform()
            .daemon()
            .name("tlsrpt-bench-generator")
            .start(
                () -> {
                  try {
                    try {
                      // each write: the next reports, and re-deliveries from the write before;
                      // one write more at the end for the last re-deliveries
                      for (long from = 0; from - batch < reports; from += batch) {
                        ready.put(
                            new Batch(
                                gen.batch(
                                    Math.min(from, reports),
                                    Math.min(reports, from + batch),
                                    Math.max(0, from - batch),
                                    Math.min(from, reports),
                                    resendEvery),
                                null));
                      }
                      ready.put(new Batch(null, null));
                    } catch (RuntimeException | Error e) {
                      ready.put(new Batch(null, e)); // waits for room: never dropped
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    StoreResult total = StoreResult.EMPTY;
    long lastPrint = System.nanoTime();
    try {
      while (true) {
        Batch b = ready.take();
        if (b.failure() != null) {
          throw new IllegalStateException("generating the reports failed", b.failure());
        }
        if (b.inputs() == null) {
          return total;
        }
        total = total.plus(writer.store(b.inputs()));
        if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(10)) {
          lastPrint = System.nanoTime();
          System.out.printf(
              "  %,d reports stored after %.0f s%n", total.accepted(), (lastPrint - t0) / 1e9);
        }
      }
    } finally {
      producer.interrupt();
    }
  }
}

package org.tlsrpt.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.config.Settings;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.synthetic.SyntheticRows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tlsrpt bench summary}: fills a new store with synthetic failure and policy rows generated
 * inside ClickHouse ({@link SyntheticRows}: {@code INSERT ... SELECT} from {@code numbers()}
 * straight into the tables, not through {@code ReportStore}, so neither parsing nor the
 * de-duplication of re-delivered reports is part of the load), builds the daily summary once, then
 * times each summary grouping. What it measures is the query side: the summary over a large store.
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = {
      "Fill a new store with N synthetic failure rows (and one policy row per 10), generated in"
          + " ClickHouse and inserted straight into the tables (not through the report writer, so"
          + " no de-duplication is measured), build the daily summary once, and print the latency"
          + " of every summary grouping (median and worst of 7 runs)."
    })
public final class BenchSummaryCommand implements Callable<Integer> {
  @Option(
      names = "--rows",
      defaultValue = "10000000",
      description = "Failure rows (default: ${DEFAULT-VALUE}).")
  long rows;

  @Override
  public Integer call() throws Exception {
    Path data = Files.createTempDirectory("tlsrpt-bench-summary");
    Settings settings = Settings.load(null, System.getenv(), AllSettings.ALL);
    try (ClickHouse ch = StorageSettings.from(settings).withDataDir(data).open()) {
      long t0 = System.nanoTime();
      SyntheticRows.Filled filled = new SyntheticRows(ch, "tlsrpt").fill(rows);
      System.out.printf(
          "loaded %d failure rows and %d policy rows in %.1f s%n",
          filled.failures(), filled.policies(), (System.nanoTime() - t0) / 1e9);
      Summaries s = new Summaries(ch, "tlsrpt");
      long b0 = System.nanoTime();
      int built = s.refresh().size();
      System.out.printf(
          "built the daily summary of %d days in %.1f s (once, after the load)%n",
          built, (System.nanoTime() - b0) / 1e9);
      LocalDate since = LocalDate.parse("2026-01-01");
      for (Summaries.By by : Summaries.By.values()) {
        long[] ms = new long[7];
        Summaries.Summary result = null;
        for (int i = 0; i < ms.length; i++) {
          long a = System.nanoTime();
          result = s.summary(since, null, by);
          ms[i] = (System.nanoTime() - a) / 1_000_000;
        }
        Arrays.sort(ms);
        System.out.printf(
            "summary --by %-6s median %4d ms, worst %4d ms (%d rows, %d failed sessions)%n",
            by.name().toLowerCase(java.util.Locale.ROOT),
            ms[3],
            ms[6],
            result.rows().size(),
            result.failed());
      }
    }
    TempStores.delete(data);
    return 0;
  }
}

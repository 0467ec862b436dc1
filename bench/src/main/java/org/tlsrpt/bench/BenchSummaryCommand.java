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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tlsrpt bench summary}: fills a new store with synthetic rows (through the real tables and
 * materialized views) and prints the latency of each summary query.
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = {
      "Fill a new store with N synthetic failure rows (and one policy row per 10) and print the"
          + " latency of every summary grouping (median and worst of 7 runs)."
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
      long policies = Math.max(1, rows / 10);
      long t0 = System.nanoTime();
      String common =
          "concat('org-', toString(n % 500)) AS organization, concat('report-', toString(n)) AS report_id,"
              + " toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + toIntervalDay(n % 300) AS date_start,"
              + " date_start + toIntervalSecond(86399) AS date_end,"
              + " substring(hex(SHA256(toString(n))), 1, 32) AS report_key,"
              + " concat('domain-', toString(n % 2000), '.example') AS policy_domain,"
              + " ['enforce','testing','none'][n % 3 + 1] AS mode";
      String numbers =
          "(SELECT n, d, "
              + common
              + " FROM (SELECT intDiv(number, 10) AS n,"
              + " number % 10 AS d FROM numbers({N})))";
      ch.execute(
          "INSERT INTO tlsrpt.policies (organization, report_id, date_start, date_end, policy_index,"
              + " report_key, policy_type, policy_domain, mode, successful, failed, received_at, version)"
              + " SELECT organization, report_id, date_start, date_end, 0, report_key, 'sts',"
              + " policy_domain, mode, n % 1000, 10, now64(3), 1 FROM "
              + numbers.replace("{N}", String.valueOf(policies * 10))
              + " WHERE d = 0");
      ch.execute(
          "INSERT INTO tlsrpt.failures (organization, report_id, date_start, date_end, policy_index,"
              + " detail_index, report_key, policy_type, policy_domain, mode, result_type,"
              + " sending_mta_ip, receiving_mx_hostname, failed_session_count, received_at, version)"
              + " SELECT organization, report_id, date_start, date_end, 0, d, report_key, 'sts',"
              + " policy_domain, mode,"
              + " ['certificate-expired','starttls-not-supported','validation-failure'][d % 3 + 1],"
              + " '192.0.2.1', concat('mx', toString(d % 3), '.', policy_domain), 1, now64(3), 1 FROM "
              + numbers.replace("{N}", String.valueOf(rows)));
      // what ReportStore does after a batch: mark the days it wrote as changed
      ch.execute(
          "INSERT INTO tlsrpt.summary_dirty (day, marked_at) SELECT DISTINCT toDate(date_start),"
              + " toUnixTimestamp64Micro(now64(6)) FROM tlsrpt.policies");
      System.out.printf(
          "loaded %d failure rows and %d policy rows in %.1f s%n",
          rows, policies, (System.nanoTime() - t0) / 1e9);
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

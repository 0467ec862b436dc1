package org.tlsrpt.app.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.DashboardQueries;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportCounts;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.StoreResult;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * {@code tlsrpt serve --demo}: loads {@link DemoReports} into a store that holds no report yet,
 * through the real parser and {@link ReportStore}, with source {@code demo}. A store that holds any
 * report is left alone, so the demo loads once.
 */
public final class DemoData {
  private DemoData() {}

  /**
   * What happened.
   *
   * @param existingReports the reports the store held before (then nothing was loaded)
   * @param month what was generated, or null when nothing was loaded
   * @param stored what the store made of it, or null
   */
  public record Outcome(long existingReports, DemoReports.Month month, StoreResult stored) {
    public boolean loaded() {
      return stored != null;
    }

    /** Lines for people. */
    public List<String> describe() {
      List<String> out = new ArrayList<>();
      if (!loaded()) {
        out.add(
            "tlsrpt serve --demo: the store already holds "
                + existingReports
                + " report"
                + (existingReports == 1 ? "" : "s")
                + "; demo data not loaded (it loads only into an empty store)");
        return out;
      }
      out.add(
          "tlsrpt serve --demo: the store held no report; loaded demo data (source \""
              + DashboardQueries.DEMO_SOURCE
              + "\"):");
      out.add(
          "  " + month.samples() + " bundled sample reports (real reports, dated 2016 to 2026)");
      out.add(
          "  "
              + month.reports()
              + " reports generated from them for "
              + month.first()
              + " to "
              + month.last()
              + ": "
              + String.join(", ", month.organizations())
              + " on example.com (enforce), example.net and shop.example.com (testing), example.org"
              + " (DANE); "
              + month.successful()
              + " successful and "
              + month.failed()
              + " failed sessions");
      out.add(
          "  stored: "
              + stored.accepted()
              + " reports accepted, "
              + stored.duplicates()
              + " duplicates, "
              + stored.rejected()
              + " inputs rejected "
              + stored.rejectedByCode()
              + ", "
              + stored.quarantined()
              + " quarantined");
      return out;
    }
  }

  /**
   * Opens the configured store, loads the demo into it when it holds no report, and closes it.
   *
   * @throws ConfigurationException when this process would not own the store (a Kafka ingest node
   *     with the embedded engine: the worker does)
   */
  public static Outcome loadIfEmpty(AllSettings settings, Clock clock) {
    StorageSettings storage = settings.storage();
    if (settings.pipeline().kafka() && storage.embedded()) {
      throw new ConfigurationException(
          "--demo loads into the store serve owns; with pipeline.mode=kafka and the embedded"
              + " engine, tlsrpt worker owns it: load the demo with pipeline.mode=local first");
    }
    try (ClickHouse ch = storage.open()) {
      return loadIfEmpty(ch, storage.database(), settings.parser().parser(), clock);
    }
  }

  /** Loads the demo into {@code ch} when it holds no report. */
  public static Outcome loadIfEmpty(
      ClickHouse ch, String database, ReportParser parser, Clock clock) {
    ReportCounts counts = new ReportCounts(ch, database);
    if (!counts.none()) {
      return new Outcome(counts.reports(), null, null);
    }
    LocalDate yesterday = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
    DemoReports.Month month = DemoReports.generate(yesterday);
    Instant now = clock.instant();
    List<Incoming> batch = new ArrayList<>();
    for (DemoReports.Input in : month.inputs()) {
      Instant at = in.receivedAt().isAfter(now) ? now : in.receivedAt();
      batch.add(
          new Incoming(
              parser.parse(in.bytes()),
              Source.DEMO,
              at,
              DkimResult.NOT_CHECKED,
              in.quarantineReason()));
    }
    StoreResult stored = new ReportStore(ch, database).store(batch);
    return new Outcome(0, month, stored);
  }
}

package org.tlsrpt.app.serve;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.tlsrpt.app.config.IngestSettings;
import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.spool.Spool;
import org.tlsrpt.ingest.spool.SpoolLoader;
import org.tlsrpt.ingest.spool.SpoolStore;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Source;

/**
 * The default pipeline ({@code ingest.spool=true}): a sender is answered once its input is fsync'd
 * to the spool under {@code DATA_DIR/intake-spool}; a loader writes the spool into ClickHouse in
 * large batches, and what it has not loaded at close is loaded at the next start.
 */
final class SpooledPipeline implements Pipeline {
  private final Spool spool;
  private final SpoolLoader loader;
  private final SpoolStore store;
  private final String storeDescription;

  private SpooledPipeline(Spool spool, SpoolLoader loader, String storeDescription) {
    this.spool = spool;
    this.loader = loader;
    this.store = new SpoolStore(spool);
    this.storeDescription = storeDescription;
  }

  /**
   * Counts the reports the loader writes, accepted or duplicate (the sender was answered before
   * ClickHouse could tell), in the intake's counts ({@link Intake#loaded}). The loader starts
   * before the intake exists (the intake is made on the pipeline's store) and may load what an
   * earlier run left in the spool meanwhile: those are held until {@link #countIn}.
   */
  static final class LoadCounts implements SpoolLoader.Loaded {
    private final List<Map.Entry<Source, Boolean>> early = new ArrayList<>();
    private Intake intake;

    @Override
    public synchronized void loaded(Source source, boolean duplicate) {
      if (intake == null) {
        early.add(Map.entry(source, duplicate));
      } else {
        intake.loaded(source, duplicate);
      }
    }

    /** Counts what was loaded so far, and from now on, in {@code intake}. */
    synchronized void countIn(Intake intake) {
      this.intake = intake;
      early.forEach(e -> intake.loaded(e.getKey(), e.getValue()));
      early.clear();
    }
  }

  /**
   * Takes the spool (its lock) and starts loading it into {@code store}.
   *
   * @param loaded told of each report input written, new or a duplicate
   */
  static SpooledPipeline open(
      OpenStore store,
      IngestSettings ingest,
      Path dataDir,
      ReportParser parser,
      SpoolLoader.Loaded loaded) {
    Spool spool =
        new Spool(
            dataDir.resolve("intake-spool"),
            ingest.spoolSegmentBytes(),
            ingest.maxBacklogBytes(),
            ingest.maxWaiting());
    try {
      SpoolLoader loader =
          new SpoolLoader(
              spool,
              parser,
              store.writer(),
              ingest.maxBatch(),
              ingest.maxBatchBytes(),
              SpoolLoader.limits(ingest.maxBackoff().toMillis(), ingest.isolateAfterRefusals()),
              loaded);
      return new SpooledPipeline(spool, loader, store.description());
    } catch (RuntimeException | Error e) {
      spool.close();
      throw e;
    }
  }

  @Override
  public DurableStore store() {
    return store;
  }

  @Override
  public String problem() {
    return null; // loading retries while ClickHouse fails; /metrics counts the failures
  }

  @Override
  public List<HealthPage.Source> healthSources() {
    SpoolHealth h = new SpoolHealth(spool::backlogBytes, loader::failures, Clock.systemUTC());
    return List.of(
        new HealthPage.Source(
            "spool", null, false, h, () -> Map.of("backlog_bytes", h.backlogBytes())));
  }

  @Override
  public void addMetrics(PrometheusRegistry registry) {
    addSpoolMetrics(registry, spool::backlogBytes, loader::failures);
  }

  /** The spool's figures; the other pipelines show them as 0, so every serve has the series. */
  static void addSpoolMetrics(
      PrometheusRegistry registry, LongSupplier backlogBytes, LongSupplier loadFailures) {
    GaugeWithCallback.builder()
        .name("tlsrpt_spool_backlog_bytes")
        .help("Bytes answered as stored but not yet loaded into ClickHouse")
        .callback(cb -> cb.call(backlogBytes.getAsLong()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tlsrpt_spool_load_failures_total")
        .help("Failed attempts to load the spool into ClickHouse (retried)")
        .callback(cb -> cb.call(loadFailures.getAsLong()))
        .register(registry);
  }

  @Override
  public String describe() {
    return "storing in " + storeDescription;
  }

  /** Waits until every input answered so far is in ClickHouse; false on timeout. */
  boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return loader.awaitLoaded(timeout.toMillis());
  }

  /** Stops taking inputs (what was answered is on disk), loads the spool, releases it. */
  @Override
  public void close() {
    spool.stopAppending();
    loader.close(); // into ClickHouse now, or at the next start
    spool.close(); // only then may another process take the spool
  }
}

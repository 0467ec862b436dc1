package org.tlsrpt.app.serve;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.spool.SpoolLoader;

/**
 * Where serve's intake puts what it accepts: one type per pipeline. {@link SpooledPipeline} (the
 * default) answers once an input is fsync'd to a spool and loads the spool into ClickHouse in the
 * background; {@link DirectPipeline} ({@code ingest.spool=false}) answers once it is in ClickHouse;
 * {@link KafkaPipeline} ({@code pipeline.mode=kafka}) once Kafka acknowledged it, and workers store
 * it. Closing a pipeline stores, or hands on, everything it accepted.
 */
sealed interface Pipeline extends AutoCloseable
    permits SpooledPipeline, DirectPipeline, KafkaPipeline {

  /**
   * Opens the pipeline the settings ask for, writing to {@code store} (unless Kafka).
   *
   * @param loaded told of each report the spool loader writes, new or a duplicate (the spooled
   *     pipeline only: the others know it when they answer, or leave it to the Kafka workers)
   */
  static Pipeline open(AllSettings c, OpenStore store, SpoolLoader.Loaded loaded) {
    if (c.pipeline().kafka()) {
      return KafkaPipeline.open(c.pipeline(), store);
    }
    if (c.serve().ingest().spool()) {
      return SpooledPipeline.open(
          store, c.serve().ingest(), c.storage().dataDir(), c.parser().parser(), loaded);
    }
    return new DirectPipeline(store, c.serve().ingest());
  }

  /**
   * Where the intake puts each input; it returns once the input is as safe as this pipeline makes
   * it.
   */
  DurableStore store();

  /** Null while the pipeline works; otherwise what is wrong, for {@code /health}. */
  String problem();

  /** What this pipeline adds to {@code /health} beside its {@link #problem}: none by default. */
  default List<HealthPage.Source> healthSources() {
    return List.of();
  }

  /** Adds this pipeline's figures to serve's {@code /metrics}. */
  void addMetrics(PrometheusRegistry registry);

  /** Where the inputs go, for people: "storing in ...", "publishing to Kafka ...". */
  String describe();

  @Override
  void close();
}

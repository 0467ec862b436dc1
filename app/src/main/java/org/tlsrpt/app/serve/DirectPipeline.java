package org.tlsrpt.app.serve;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.tlsrpt.app.config.IngestSettings;
import org.tlsrpt.ingest.BatchingStore;
import org.tlsrpt.ingest.DurableStore;

/**
 * {@code ingest.spool=false}: a sender is answered once its input is written to ClickHouse, in
 * writes that concurrent senders share.
 */
final class DirectPipeline implements Pipeline {
  private final BatchingStore batching;
  private final String storeDescription;

  DirectPipeline(OpenStore store, IngestSettings ingest) {
    this.batching =
        new BatchingStore(
            store.writer(), ingest.maxBatch(), ingest.maxBatchBytes(), ingest.maxWaiting());
    this.storeDescription = store.description();
  }

  @Override
  public DurableStore store() {
    return batching;
  }

  @Override
  public String problem() {
    return null; // a failing store shows in /health's storage check
  }

  @Override
  public void addMetrics(PrometheusRegistry registry) {
    SpooledPipeline.addSpoolMetrics(registry, () -> 0, () -> 0); // nothing waits in a spool
  }

  @Override
  public String describe() {
    return "storing in " + storeDescription;
  }

  /** Writes what senders are waiting for, then stops. */
  @Override
  public void close() {
    batching.close();
  }
}

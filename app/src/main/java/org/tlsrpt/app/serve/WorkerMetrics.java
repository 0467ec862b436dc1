package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import org.tlsrpt.ingest.kafka.KafkaWorker;

/**
 * The Prometheus metrics of {@code tlsrpt worker}: records by outcome (their rate is the
 * throughput), consumer lag, errors.
 */
final class WorkerMetrics {
  private final MetricsPage page = new MetricsPage();
  private final PrometheusRegistry registry = page.registry();

  WorkerMetrics(KafkaWorker w, org.tlsrpt.alerting.AlertEngine alerts) {
    page.alerts(alerts);
    CounterWithCallback.builder()
        .name("tlsrpt_worker_records_total")
        .help("Records consumed from the raw-input topic (redeliveries count again)")
        .callback(cb -> cb.call(w.consumed()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tlsrpt_worker_inputs_total")
        .help(
            "What stored inputs became: stored (new reports), duplicate, rejected, quarantined;"
                + " dead_lettered counts copies to the dead-letter topic, unprocessable the records"
                + " that could not be processed")
        .labelNames("outcome")
        .callback(
            cb -> {
              cb.call(w.stored(), "stored");
              cb.call(w.duplicates(), "duplicate");
              cb.call(w.rejected(), "rejected");
              cb.call(w.quarantined(), "quarantined");
              cb.call(w.deadLettered(), "dead_lettered");
              cb.call(w.unprocessable(), "unprocessable");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tlsrpt_worker_errors_total")
        .help("Failed attempts (retried): store = writing a batch to ClickHouse, dead_letter")
        .labelNames("kind")
        .callback(
            cb -> {
              cb.call(w.storeFailures(), "store");
              cb.call(w.deadLetterFailures(), "dead_letter");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tlsrpt_worker_commits_total")
        .help("Offset commits (each after a batch was stored)")
        .callback(cb -> cb.call(w.commits()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tlsrpt_worker_lag_records")
        .help("Records of this worker's partitions not yet stored and committed")
        .callback(cb -> cb.call(w.lag()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tlsrpt_worker_assigned_partitions")
        .help("Partitions this worker holds")
        .callback(cb -> cb.call(w.assignment().size()))
        .register(registry);
  }

  void handle(HttpExchange x) throws IOException {
    page.handle(x);
  }
}

package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.tlsrpt.ingest.kafka.KafkaWorker;

/**
 * The Prometheus metrics of {@code tlsrpt worker}: records by outcome (their rate is the
 * throughput), consumer lag, errors.
 */
final class WorkerMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  WorkerMetrics(KafkaWorker w, org.tlsrpt.app.alert.AlertEngine alerts) {
    CounterWithCallback.builder()
        .name("tlsrpt_alerts_total")
        .help("Alerts by outcome: sent, suppressed (cooling down), delivery_failed (per channel)")
        .labelNames("outcome")
        .callback(
            cb -> {
              cb.call(alerts.fired(), "sent");
              cb.call(alerts.suppressed(), "suppressed");
              cb.call(alerts.deliveryFailures(), "delivery_failed");
            })
        .register(registry);
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
    try (x) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      writer.write(buf, registry.scrape());
      byte[] b = buf.toByteArray();
      x.getResponseHeaders().set("Content-Type", writer.getContentType());
      x.sendResponseHeaders(200, b.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      }
    }
  }
}

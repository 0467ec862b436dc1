package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.tlsrpt.alerting.AlertEngine;

/** A {@code /metrics} page: a registry, the metrics serve and worker share, and its handler. */
final class MetricsPage {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  PrometheusRegistry registry() {
    return registry;
  }

  /** The alerting's counters, in every process that stores reports. */
  void alerts(AlertEngine alerts) {
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

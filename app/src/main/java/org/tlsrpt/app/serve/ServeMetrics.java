package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Map;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.http.ReportReceiver;
import org.tlsrpt.ingest.imap.ImapPoller;
import org.tlsrpt.ingest.smtp.SmtpListener;

/** The Prometheus metrics of {@code tlsrpt serve}, read from the components' own counters. */
final class ServeMetrics {
  private static final int[] HTTP_STATUSES = {201, 400, 405, 413, 415, 429, 503};

  private final MetricsPage page = new MetricsPage();
  private final PrometheusRegistry registry = page.registry();

  ServeMetrics(
      Intake intake,
      ReportReceiver receiver,
      SmtpListener smtp,
      ImapPoller imap,
      TlsrptServer server) {
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder()
        .name("tlsrpt_spool_backlog_bytes")
        .help("Bytes answered as stored but not yet loaded into ClickHouse")
        .callback(cb -> cb.call(server.backlogBytes()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tlsrpt_spool_load_failures_total")
        .help("Failed attempts to load the spool into ClickHouse (retried)")
        .callback(cb -> cb.call(server.loadFailures()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tlsrpt_inputs_total")
        .help(
            "Inputs handled, by source (smtp, imap, https) and outcome (accepted, duplicate:"
                + " stored before and counted once, rejected, quarantined, deferred); with the"
                + " spool, reports count as accepted or duplicate once loaded into ClickHouse")
        .labelNames("source", "outcome")
        .callback(
            cb -> {
              for (Map.Entry<String, Long> e : intake.counts().entrySet()) {
                String[] k = e.getKey().split("/", 2);
                cb.call(e.getValue(), k[0], k[1]);
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tlsrpt_http_report_responses_total")
        .help("Responses of the HTTPS report receiver, by status")
        .labelNames("status")
        .callback(
            cb -> {
              for (int status : HTTP_STATUSES) {
                cb.call(receiver.responses(status), Integer.toString(status));
              }
            })
        .register(registry);
    if (smtp != null) {
      CounterWithCallback.builder()
          .name("tlsrpt_smtp_messages_total")
          .help("SMTP messages by outcome: stored (250), too_large (552), deferred (451)")
          .labelNames("outcome")
          .callback(
              cb -> {
                cb.call(smtp.stored(), "stored");
                cb.call(smtp.tooLarge(), "too_large");
                cb.call(smtp.deferred(), "deferred");
              })
          .register(registry);
    }
    if (imap != null) {
      imap(imap);
    }
    org.tlsrpt.app.alert.AlertEngine alerts = server.alerts();
    if (alerts != null) {
      page.alerts(alerts);
    }
    org.tlsrpt.ingest.kafka.KafkaPublisher publisher = server.publisher();
    if (publisher != null) {
      CounterWithCallback.builder()
          .name("tlsrpt_kafka_published_total")
          .help("Inputs published to Kafka, by outcome: acknowledged, or failed (sender deferred)")
          .labelNames("outcome")
          .callback(
              cb -> {
                cb.call(publisher.published(), "acknowledged");
                cb.call(publisher.failed(), "failed");
              })
          .register(registry);
    }
  }

  private void imap(ImapPoller imap) {
    CounterWithCallback.builder()
        .name("tlsrpt_imap_messages_total")
        .help("IMAP messages handled: processed (stored and moved), rejected (moved to rejected)")
        .labelNames("outcome")
        .callback(
            cb -> {
              cb.call(imap.messagesProcessed(), "processed");
              cb.call(imap.messagesRejected(), "rejected");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tlsrpt_imap_errors_total")
        .help("IMAP errors (a message that could not be handled, a failed pass)")
        .callback(cb -> cb.call(imap.errors()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tlsrpt_imap_reconnects_total")
        .help("IMAP reconnections after a dropped connection or a failed login")
        .callback(cb -> cb.call(imap.reconnects()))
        .register(registry);
  }

  void handle(HttpExchange x) throws IOException {
    page.handle(x);
  }
}

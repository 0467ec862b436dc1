package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Map;
import org.tlsrpt.alerting.AlertEngine;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.http.ReportReceiver;
import org.tlsrpt.ingest.imap.ImapPoller;
import org.tlsrpt.ingest.smtp.SmtpListener;

/** The Prometheus metrics of {@code tlsrpt serve}, read from the components' own counters. */
final class ServeMetrics {
  private static final int[] HTTP_STATUSES = {201, 400, 405, 413, 415, 429, 503};

  private final MetricsPage page = new MetricsPage();
  private final PrometheusRegistry registry = page.registry();

  /**
   * @param smtp the SMTP listener, or null when it is off
   * @param imap the IMAP poller, or null when it is off
   * @param alerts the alerting, or null when this process does not store
   */
  ServeMetrics(
      Intake intake,
      ReportReceiver receiver,
      SmtpListener smtp,
      ImapPoller imap,
      Pipeline pipeline,
      AlertEngine alerts) {
    pipeline.addMetrics(registry);
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
    if (alerts != null) {
      page.alerts(alerts);
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

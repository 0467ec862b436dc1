package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.config.PipelineSettings;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.KafkaWorker;
import org.tlsrpt.posture.watch.PostureWatch;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.web.WebDashboard;

/**
 * What {@code tlsrpt worker} runs: the store, a {@link KafkaWorker} consuming the raw-input topic,
 * an HTTP server with {@code /health}, {@code /metrics} and {@code /api/summary}, and the
 * background refresh of the daily summary. With the embedded engine it owns the data directory and
 * announces its API in {@code serve.json}, as serve does.
 */
public final class WorkerServer implements AutoCloseable {
  private final ClickHouse ch;
  private final KafkaWorker worker;
  private final org.tlsrpt.alerting.AlertEngine alerts;
  private PostureWatch watch;
  private final StoreApi api;
  private final HttpServer http;
  private final ExecutorService httpThreads;
  private final ScheduledExecutorService timer;
  private final Path serveFile;
  private final String description;

  private WorkerServer(AllSettings c, ClickHouse ch) throws IOException {
    this.ch = ch;
    PipelineSettings p = c.pipeline();
    KafkaClients clients = p.clients();
    p.ensureTopics(clients);
    this.alerts = TlsrptServer.alerts(c, ch);
    try {
      this.worker =
          new KafkaWorker(
              clients,
              p.workerOptions(),
              c.parser().parser(),
              new ReportStore(ch, c.storage().database()).listen(alerts));
    } catch (RuntimeException e) {
      alerts.close();
      throw e;
    }
    this.api =
        new StoreApi(
            ch,
            c.storage().summaries(ch),
            null,
            () -> worker.running() ? null : "the worker's consumer has stopped; see the log");
    this.serveFile =
        c.storage().embedded() ? c.storage().dataDir().resolve(StoreApi.SERVE_FILE) : null;
    this.httpThreads = Executors.newVirtualThreadPerTaskExecutor();
    InetSocketAddress at = p.workerListen();
    if (at == null) {
      this.http = null;
    } else {
      WorkerMetrics metrics = new WorkerMetrics(worker, alerts);
      this.http = HttpServer.create(at, 0);
      http.createContext("/health", api::health);
      http.createContext("/metrics", metrics::handle);
      http.createContext("/api/summary", api::summary);
      new WebDashboard(c.storage().dashboardQueries(ch), WebDashboard.NO_STORE)
          .register(http); // the page at / and its /api/ endpoints
      http.setExecutor(httpThreads);
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("tlsrpt-summary-refresh").daemon().unstarted(r));
    this.description =
        "tlsrpt worker: consuming "
            + p.topic()
            + " on "
            + p.kafkaBootstrap()
            + " in group "
            + p.group()
            + ", storing in "
            + ch.describe()
            + "; dead letters to "
            + p.deadLetterTopic();
  }

  /** Reads the settings, then {@link #start(AllSettings)}. */
  public static WorkerServer start(Settings s, Path dataDirOverride) throws IOException {
    return start(AllSettings.from(s, dataDirOverride));
  }

  /** Opens the store, joins the consumer group and starts the HTTP server. */
  public static WorkerServer start(AllSettings c) throws IOException {
    if (!c.pipeline().kafka()) {
      // not an error: the worker reads Kafka whatever serve does; but say what is likely meant
      org.slf4j.LoggerFactory.getLogger(WorkerServer.class)
          .info("pipeline.mode is local: serve stores by itself; this worker reads Kafka anyway");
    }
    ClickHouse ch = c.storage().open();
    WorkerServer w;
    try {
      w = new WorkerServer(c, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    try {
      w.worker.start();
      if (w.http != null) {
        w.http.start();
        if (w.serveFile != null) {
          StoreApi.announce(w.serveFile, w.http.getAddress());
        }
      }
      w.watch = TlsrptServer.watch(c, ch, w.alerts);
      long every = c.serve().summaryRefresh().toSeconds();
      w.timer.scheduleWithFixedDelay(w.api::refresh, every, every, TimeUnit.SECONDS);
      return w;
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  public KafkaWorker worker() {
    return worker;
  }

  /** Where the HTTP server listens, or null when it is off. */
  public InetSocketAddress httpAddress() {
    return http == null ? null : http.getAddress();
  }

  public void describe(PrintWriter out) {
    out.println(description);
    if (http != null) {
      InetSocketAddress a = http.getAddress();
      out.println(
          "  HTTP  http://"
              + a.getHostString()
              + ":"
              + a.getPort()
              + "  (/health, /metrics, /api/summary)");
    }
    out.flush();
  }

  /** Stops consuming (storing and committing what was taken), then closes the store. */
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (http != null) {
      http.stop(2);
    }
    httpThreads.shutdown();
    StoreApi.withdraw(serveFile);
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.close();
    if (watch != null) {
      watch.close();
    }
    alerts.close();
    ch.close();
  }
}

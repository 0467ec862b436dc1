package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.tlsrpt.alerting.JobLease;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.config.PipelineSettings;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.KafkaWorker;
import org.tlsrpt.ingest.kafka.SchedulerLease;
import org.tlsrpt.web.WebDashboard;

/**
 * What {@code tlsrpt worker} runs: the store, a {@link KafkaWorker} consuming the raw-input topic,
 * an HTTP server with {@code /health}, {@code /metrics} and {@code /api/summary}, and the
 * background refresh of the daily summary. With the embedded engine it owns the data directory and
 * announces its API in {@code serve.json}, as serve does. A start that fails part-way closes what
 * it started.
 */
public final class WorkerServer implements AutoCloseable {
  private final Teardown started;
  private final KafkaWorker worker;
  private final HttpServer http;
  private final String description;

  private WorkerServer(Teardown started, KafkaWorker worker, HttpServer http, String description) {
    this.started = started;
    this.worker = worker;
    this.http = http;
    this.description = description;
  }

  /** Reads the settings, then {@link #start(AllSettings)}. */
  public static WorkerServer start(Settings s, Path dataDirOverride) throws IOException {
    return start(AllSettings.from(s, dataDirOverride));
  }

  /** Opens the store, joins the consumer group and starts the HTTP server. */
  public static WorkerServer start(AllSettings c) throws IOException {
    if (!c.pipeline().kafka()) {
      // not an error: the worker reads Kafka whatever serve does; but say what is likely meant
      LoggerFactory.getLogger(WorkerServer.class)
          .info("pipeline.mode is local: serve stores by itself; this worker reads Kafka anyway");
    }
    PipelineSettings p = c.pipeline();
    Teardown started = new Teardown();
    try {
      KafkaClients clients = p.clients();
      p.ensureTopics(clients);
      // one worker runs the scheduled alert rules and the posture watch: the lease's holder
      // (closed after the store and its jobs have stopped; another worker then takes over at once)
      SchedulerLease lease = started.add(p.schedulerLease(clients));
      OpenStore store =
          started.add(OpenStore.writing(c, JobLease.of(lease::held, lease::whenTaken)));
      KafkaWorker worker =
          started.add(
              new KafkaWorker(clients, p.workerOptions(), c.parser().parser(), store.writer()));
      StoreApi api =
          new StoreApi(
              store.clickHouse(),
              store.summaries(),
              null,
              () -> worker.running() ? null : "the worker's consumer has stopped; see the log");
      HttpServer http =
          p.workerListen() == null
              ? null
              : httpServer(
                  p,
                  api,
                  new HealthPage(
                      api.healthSources(Clock.systemUTC()),
                      c.serve().healthFailingAfter(),
                      Clock.systemUTC()),
                  worker,
                  store,
                  started);
      worker.start(); // at close, it stores and commits what it took
      if (http != null) {
        http.start();
      }
      if (http != null && c.storage().embedded()) {
        Path file = c.storage().dataDir().resolve(StoreApi.SERVE_FILE);
        StoreApi.announce(file, http.getAddress());
        started.onClose(() -> StoreApi.withdraw(file));
      }
      ScheduledExecutorService timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().name("tlsrpt-summary-refresh").daemon().unstarted(r));
      started.onClose(
          () -> {
            timer.shutdownNow();
            try {
              timer.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      long every = c.serve().summaryRefresh().toSeconds();
      timer.scheduleWithFixedDelay(api::refresh, every, every, TimeUnit.SECONDS);
      return new WorkerServer(
          started,
          worker,
          http,
          "tlsrpt worker: consuming "
              + p.topic()
              + " on "
              + p.kafkaBootstrap()
              + " in group "
              + p.group()
              + ", storing in "
              + store.description()
              + "; dead letters to "
              + p.deadLetterTopic());
    } catch (IOException | RuntimeException | Error e) {
      started.closeAfter(e);
      throw e;
    }
  }

  /** Binds the HTTP server, with every handler; not yet started. */
  private static HttpServer httpServer(
      PipelineSettings p,
      StoreApi api,
      HealthPage health,
      KafkaWorker worker,
      OpenStore store,
      Teardown started)
      throws IOException {
    HttpServer http = HttpServer.create(p.workerListen(), 0);
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    started.onClose(threads::shutdown);
    started.onClose(() -> http.stop(2));
    WorkerMetrics metrics = new WorkerMetrics(worker, store.alerts());
    http.createContext("/health", health::readiness);
    http.createContext("/health/live", health::liveness);
    http.createContext("/metrics", metrics::handle);
    http.createContext("/api/summary", api::summary);
    new WebDashboard(store.dashboardQueries(), store.readiness(), WebDashboard.NO_STORE)
        .register(http); // the page at / and its /api/ endpoints
    http.setExecutor(threads);
    return http;
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

  /**
   * Stops the HTTP server, then consuming (storing and committing what was taken), then the
   * alerting, and closes the store. A second close does nothing.
   */
  @Override
  public void close() {
    started.close();
  }
}

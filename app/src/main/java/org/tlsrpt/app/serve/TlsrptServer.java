package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.tlsrpt.alerting.AlertEngine;
import org.tlsrpt.alerting.Alerting;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.config.PipelineSettings;
import org.tlsrpt.app.config.ServeSettings;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.BatchingStore;
import org.tlsrpt.ingest.DkimCheck;
import org.tlsrpt.ingest.DkimMode;
import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.http.ReportReceiver;
import org.tlsrpt.ingest.imap.ImapPoller;
import org.tlsrpt.ingest.imap.ImapSettings;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.KafkaPublisher;
import org.tlsrpt.ingest.smtp.SmtpListener;
import org.tlsrpt.ingest.smtp.SmtpSettings;
import org.tlsrpt.ingest.spool.Spool;
import org.tlsrpt.ingest.spool.SpoolLoader;
import org.tlsrpt.ingest.spool.SpoolStore;
import org.tlsrpt.ingest.tls.Tls;
import org.tlsrpt.posture.CheckSettings;
import org.tlsrpt.posture.PostureChecker;
import org.tlsrpt.posture.StoredReportedPolicies;
import org.tlsrpt.posture.watch.PostureWatch;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.web.WebDashboard;

/**
 * What {@code tlsrpt serve} runs: the store, the intake every source shares, the SMTP listener, the
 * HTTP server ({@code POST} reports, {@code /health}, {@code /metrics}, {@code /api/summary}), and
 * the background refresh of the daily summary. {@link #close()} stops the sources first, then
 * stores what they handed in, then closes the store.
 */
public final class TlsrptServer implements AutoCloseable {
  private final AllSettings config;
  private final ClickHouse ch;
  private final KafkaPublisher publisher;
  private final AlertEngine alerts;
  private final PostureWatch watch;
  private final String kafkaDescription;
  private final StoreApi api;
  private final BatchingStore batching;
  private final Spool spool;
  private final SpoolLoader loader;
  private final Intake intake;
  private final SmtpListener smtp;
  private final ImapPoller imap;
  private final ImapSettings imapSettings;
  private final HttpServer http;
  private final ReportReceiver receiver;
  private final ScheduledExecutorService timer;
  private final ExecutorService httpThreads;
  private final ServeMetrics metrics;
  private final String storeDescription;
  private final Path serveFile;

  private TlsrptServer(AllSettings c) throws IOException {
    this.config = c;
    ServeSettings serve = c.serve();
    Path dataDir = c.storage().dataDir();
    DkimMode mode = serve.dkim().mode();
    DkimCheck dkim = DkimChecks.create(serve.dkim());
    boolean kafka = c.pipeline().kafka();
    boolean embedded = c.storage().embedded();
    // an ingest node of the Kafka pipeline leaves an embedded store to the worker that owns it; a
    // ClickHouse server it only reads (/api/summary)
    this.ch = kafka && embedded ? null : c.storage().open();
    BatchingStore createdBatching = null;
    Spool createdSpool = null;
    SpoolLoader createdLoader = null;
    KafkaPublisher createdPublisher = null;
    AlertEngine createdAlerts = null;
    // other commands on this embedded store find the API here while it runs
    this.serveFile = embedded && !kafka ? dataDir.resolve(StoreApi.SERVE_FILE) : null;
    try {
      this.storeDescription = ch == null ? null : ch.describe();
      DurableStore durable;
      if (kafka) {
        PipelineSettings p = c.pipeline();
        KafkaClients clients = p.clients();
        p.ensureTopics(clients);
        createdPublisher =
            new KafkaPublisher(
                clients,
                p.topic(),
                p.maxRecordBytes(),
                p.compression(),
                p.sendTimeout().toMillis());
        durable = createdPublisher;
        this.kafkaDescription = "topic " + p.topic() + " on " + p.kafkaBootstrap();
      } else if (serve.ingest().spool()) {
        ServeSettings.Ingest in = serve.ingest();
        this.kafkaDescription = null;
        createdAlerts = alerts(c, ch);
        ReportStore reportStore = new ReportStore(ch, c.storage().database()).listen(createdAlerts);
        createdSpool =
            new Spool(
                dataDir.resolve("intake-spool"),
                in.spoolSegmentBytes(),
                in.maxBacklogBytes(),
                in.maxWaiting());
        createdLoader =
            new SpoolLoader(
                createdSpool,
                c.parser().parser(),
                reportStore,
                in.maxBatch(),
                in.maxBatchBytes(),
                in.maxBackoff().toMillis());
        durable = new SpoolStore(createdSpool);
      } else {
        ServeSettings.Ingest in = serve.ingest();
        this.kafkaDescription = null;
        createdAlerts = alerts(c, ch);
        ReportStore reportStore = new ReportStore(ch, c.storage().database()).listen(createdAlerts);
        createdBatching =
            new BatchingStore(reportStore, in.maxBatch(), in.maxBatchBytes(), in.maxWaiting());
        durable = createdBatching;
      }
      this.batching = createdBatching;
      this.spool = createdSpool;
      this.loader = createdLoader;
      this.publisher = createdPublisher;
      this.alerts = createdAlerts;
      this.watch = createdAlerts == null ? null : watch(c, ch, createdAlerts);
      this.intake = new Intake(c.parser().parser(), durable, dkim, mode);
      KafkaPublisher pub = createdPublisher;
      this.api =
          new StoreApi(
              ch,
              ch == null ? null : c.storage().summaries(ch),
              "this ingest node keeps no store: in the Kafka pipeline with the embedded engine, the"
                  + " worker that owns the store answers /api/summary (worker.listen)",
              () ->
                  pub == null || pub.failed() == 0 || pub.lastFailureAgeMillis() > 60_000
                      ? null
                      : "Kafka did not acknowledge an input in the last minute");

      ServeSettings.Smtp sm = serve.smtp();
      InetSocketAddress smtpAt = sm.listen();
      this.smtp =
          smtpAt == null
              ? null
              : new SmtpListener(
                  new SmtpSettings(
                      smtpAt.getAddress(),
                      smtpAt.getPort(),
                      sm.hostname(),
                      new LinkedHashSet<>(sm.recipients()),
                      smtpTls(sm, dataDir),
                      sm.maxMessageBytes(),
                      sm.maxConnections(),
                      sm.timeoutSeconds()),
                  intake);

      this.imapSettings = serve.imap();
      this.imap =
          imapSettings == null
              ? null
              : new ImapPoller(imapSettings, intake, dataDir.resolve("imap"));

      InetSocketAddress httpAt = serve.http().listen();
      this.receiver =
          new ReportReceiver(
              intake, serve.http().maxBodyBytes(), serve.http().rateLimitPerMinute());
      this.metrics = new ServeMetrics(intake, receiver, smtp, imap, this);
      this.httpThreads = Executors.newVirtualThreadPerTaskExecutor();
      this.http = httpAt == null ? null : httpServer(serve.http());
      this.timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().name("tlsrpt-summary-refresh").daemon().unstarted(r));
    } catch (RuntimeException | IOException e) {
      if (createdSpool != null) {
        createdSpool.close();
      }
      if (createdLoader != null) {
        createdLoader.close();
      }
      if (createdBatching != null) {
        createdBatching.close();
      }
      if (createdPublisher != null) {
        createdPublisher.close();
      }
      if (createdAlerts != null) {
        createdAlerts.close();
      }
      if (ch != null) {
        ch.close();
      }
      throw e;
    }
  }

  /** Starts everything the settings turn on: reads them, then {@link #start(AllSettings)}. */
  public static TlsrptServer start(Settings s, Path dataDirOverride) throws IOException {
    return start(AllSettings.from(s, dataDirOverride));
  }

  /** Starts everything the settings turn on. */
  public static TlsrptServer start(AllSettings c) throws IOException {
    TlsrptServer server = new TlsrptServer(c);
    try {
      if (server.smtp != null) {
        server.smtp.start();
      }
      if (server.http != null) {
        server.http.start();
      }
      if (server.imap != null) {
        server.imap.start();
      }
      server.announce();
      long every = c.serve().summaryRefresh().toSeconds();
      server.timer.scheduleWithFixedDelay(server.api::refresh, every, every, TimeUnit.SECONDS);
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The file in an embedded store's data directory that says where its owner answers. */
  public static final String SERVE_FILE = StoreApi.SERVE_FILE;

  private void announce() throws IOException {
    if (serveFile == null || http == null || config.serve().http().tlsKeystore() != null) {
      return; // only a plain-HTTP API on this machine is of use to the local commands
    }
    StoreApi.announce(serveFile, http.getAddress());
  }

  /** The posture watch of check.domains, or null when none is watched. */
  static PostureWatch watch(AllSettings c, ClickHouse ch, AlertEngine alerts) {
    CheckSettings check = c.check();
    if (check.domains().isEmpty()) {
      return null;
    }
    String db = c.storage().database();
    return new PostureWatch(
            check.domains(),
            new PostureChecker(
                check.options(java.time.Clock.systemUTC()), new StoredReportedPolicies(ch, db)),
            ch,
            db,
            alerts,
            c.alerts().dashboardLink(c.serve().http().listen()))
        .start(check.interval());
  }

  /** The in-app alerting of a process that stores reports. */
  static AlertEngine alerts(AllSettings c, ClickHouse ch) {
    return Alerting.create(
        c.alerts(),
        ch,
        c.storage().database(),
        c.serve().http().listen(),
        java.time.Clock.systemUTC());
  }

  private static SSLContext smtpTls(ServeSettings.Smtp sm, Path dataDir) {
    if (sm.tlsKeystore() != null) {
      return Tls.server(sm.tlsKeystore(), sm.tlsPassword().chars());
    }
    char[] pw = "tlsrpt-self-signed".toCharArray();
    return Tls.server(Tls.selfSigned(dataDir.resolve("tls"), sm.hostname(), pw), pw);
  }

  private HttpServer httpServer(ServeSettings.Http h) throws IOException {
    HttpServer server;
    if (h.tlsKeystore() == null) {
      server = HttpServer.create(h.listen(), 0);
    } else {
      HttpsServer https = HttpsServer.create(h.listen(), 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(Tls.server(h.tlsKeystore(), h.tlsPassword().chars())));
      server = https;
    }
    server.createContext(h.reportPath(), receiver);
    server.createContext("/health", api::health);
    server.createContext("/metrics", metrics::handle);
    server.createContext("/api/summary", api::summary);
    new WebDashboard(config.storage().dashboardQueries(ch), WebDashboard.NO_STORE)
        .register(server); // the page at / and its /api/ endpoints
    server.setExecutor(httpThreads);
    return server;
  }

  /** Where the HTTP server listens, or null when it is off. */
  public InetSocketAddress httpAddress() {
    return http == null ? null : http.getAddress();
  }

  /** The SMTP port, or 0 when the listener is off. */
  public int smtpPort() {
    return smtp == null ? 0 : smtp.port();
  }

  public Intake intake() {
    return intake;
  }

  /** A line per listener, for people. */
  public void describe(PrintWriter out) {
    if (kafkaDescription != null) {
      out.println(
          "tlsrpt serve: publishing to Kafka "
              + kafkaDescription
              + " (pipeline.mode=kafka; tlsrpt worker stores)"
              + (storeDescription == null ? "" : "; reading " + storeDescription));
    } else {
      out.println("tlsrpt serve: storing in " + storeDescription);
    }
    if (http != null) {
      String scheme = http instanceof HttpsServer ? "https" : "http";
      InetSocketAddress a = http.getAddress();
      String base = scheme + "://" + a.getHostString() + ":" + a.getPort();
      out.println(
          "  HTTP  "
              + base
              + "  (POST reports to "
              + config.serve().http().reportPath()
              + "; /health, /metrics, /api/summary)");
    }
    if (smtp != null) {
      out.println(
          "  SMTP  "
              + config.serve().smtp().listenHost()
              + ":"
              + smtp.port()
              + "  (STARTTLS; mail for "
              + String.join(",", config.serve().smtp().recipients())
              + "; DKIM "
              + config.serve().dkim().mode().name().toLowerCase(java.util.Locale.ROOT)
              + ")");
    }
    if (imap != null) {
      out.println(
          "  IMAP  "
              + imapSettings.account()
              + "  ("
              + imapSettings.security().name().toLowerCase(java.util.Locale.ROOT)
              + "; stored mail moves to "
              + (imapSettings.deleteAfterProcessing() ? "the bin" : imapSettings.processedFolder())
              + ", invalid reports to "
              + imapSettings.rejectedFolder()
              + ")");
    }
    out.flush();
  }

  /**
   * Stops the sources (no new input), stores what they handed in, stops the background work and
   * closes the store.
   */
  @Override
  public void close() {
    if (smtp != null) {
      smtp.close();
    }
    if (imap != null) {
      imap.close(); // finishes the message in hand (stored and moved), then logs out
    }
    if (http != null) {
      http.stop(5); // requests in progress get up to 5 s to finish
    }
    httpThreads.shutdown();
    StoreApi.withdraw(serveFile);
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.MINUTES); // a summary refresh in progress ends first
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (spool != null) {
      spool.stopAppending(); // what was answered is on disk
      loader.close(); // and goes into ClickHouse now, or at the next start
      spool.close(); // only then may another process take the spool
    }
    if (batching != null) {
      batching.close();
    }
    if (publisher != null) {
      publisher.close(); // what senders are waiting for is acknowledged, or they hear 451/503
    }
    if (watch != null) {
      watch.close();
    }
    if (alerts != null) {
      alerts.close(); // alerts of the last batches are sent
    }
    if (ch != null) {
      ch.close();
    }
  }

  /**
   * Waits until every input answered so far is in ClickHouse (the spool loaded); false on timeout.
   */
  public boolean awaitStored(java.time.Duration timeout) throws InterruptedException {
    return loader == null || loader.awaitLoaded(timeout.toMillis());
  }

  /** Spooled bytes not yet in ClickHouse (0 without a spool). */
  long backlogBytes() {
    return spool == null ? 0 : spool.backlogBytes();
  }

  /** The posture watch, or null when check.domains is empty or this node stores nothing. */
  public PostureWatch watch() {
    return watch;
  }

  /** The in-app alerting, or null on a Kafka ingest node (the workers alert). */
  public AlertEngine alerts() {
    return alerts;
  }

  /** The Kafka publisher of an ingest node, or null in the local pipeline. */
  KafkaPublisher publisher() {
    return publisher;
  }

  /** Failed attempts to load the spool so far. */
  long loadFailures() {
    return loader == null ? 0 : loader.failures();
  }
}

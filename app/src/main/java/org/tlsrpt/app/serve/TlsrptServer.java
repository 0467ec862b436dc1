package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.tlsrpt.app.alert.AlertEngine;
import org.tlsrpt.app.alert.Alerting;
import org.tlsrpt.app.check.PostureChecker;
import org.tlsrpt.app.check.StoredReportedPolicies;
import org.tlsrpt.app.config.CheckSettings;
import org.tlsrpt.app.config.ConfigurationException;
import org.tlsrpt.app.config.ParserSettings;
import org.tlsrpt.app.config.PipelineSettings;
import org.tlsrpt.app.config.ServeSettings;
import org.tlsrpt.app.config.Settings;
import org.tlsrpt.app.config.StorageSettings;
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
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * What {@code tlsrpt serve} runs: the store, the intake every source shares, the SMTP listener, the
 * HTTP server ({@code POST} reports, {@code /health}, {@code /metrics}, {@code /api/summary}), and
 * the background refresh of the daily summary. {@link #close()} stops the sources first, then
 * stores what they handed in, then closes the store.
 */
public final class TlsrptServer implements AutoCloseable {
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

  private TlsrptServer(Settings s, Path dataDirOverride) throws IOException {
    Path dataDir =
        dataDirOverride != null ? dataDirOverride : Path.of(s.string(StorageSettings.DATA_DIR));
    DkimMode mode = parseMode(s);
    DkimCheck dkim = mode == DkimMode.OFF ? null : DkimChecks.create(s);
    boolean kafka = PipelineSettings.kafkaMode(s);
    boolean embedded = s.string(StorageSettings.CLICKHOUSE_URL).isBlank();
    // an ingest node of the Kafka pipeline leaves an embedded store to the worker that owns it; a
    // ClickHouse server it only reads (/api/summary)
    this.ch = kafka && embedded ? null : StorageSettings.open(s, dataDirOverride);
    BatchingStore createdBatching = null;
    Spool createdSpool = null;
    SpoolLoader createdLoader = null;
    KafkaPublisher createdPublisher = null;
    AlertEngine createdAlerts = null;
    ReportStore spoolTarget = null;
    // other commands on this embedded store find the API here while it runs
    this.serveFile = embedded && !kafka ? dataDir.resolve(StoreApi.SERVE_FILE) : null;
    try {
      this.storeDescription = ch == null ? null : ch.describe();
      DurableStore durable;
      if (kafka) {
        KafkaClients clients = PipelineSettings.clients(s);
        long maxRecord = PipelineSettings.maxRecordBytes(s);
        PipelineSettings.ensureTopics(s, clients, maxRecord);
        createdPublisher =
            new KafkaPublisher(
                clients,
                s.string(PipelineSettings.KAFKA_TOPIC),
                maxRecord,
                s.string(PipelineSettings.KAFKA_COMPRESSION),
                TimeUnit.SECONDS.toMillis(s.integer(PipelineSettings.KAFKA_SEND_TIMEOUT_SECONDS)));
        durable = createdPublisher;
        this.kafkaDescription =
            "topic "
                + s.string(PipelineSettings.KAFKA_TOPIC)
                + " on "
                + s.string(PipelineSettings.KAFKA_BOOTSTRAP);
      } else if (s.bool(ServeSettings.INGEST_SPOOL)) {
        this.kafkaDescription = null;
        createdAlerts = alerts(s, ch);
        spoolTarget = new ReportStore(ch, StorageSettings.database(s)).listen(createdAlerts);
        createdSpool =
            new Spool(
                dataDir.resolve("intake-spool"),
                s.bytes(ServeSettings.INGEST_SPOOL_SEGMENT_BYTES),
                s.bytes(ServeSettings.INGEST_MAX_BACKLOG_BYTES),
                s.integer(ServeSettings.INGEST_MAX_WAITING));
        durable = new SpoolStore(createdSpool); // the loader starts below, told of the intake
      } else {
        this.kafkaDescription = null;
        createdAlerts = alerts(s, ch);
        ReportStore reportStore =
            new ReportStore(ch, StorageSettings.database(s)).listen(createdAlerts);
        createdBatching =
            new BatchingStore(
                reportStore,
                s.integer(ServeSettings.INGEST_MAX_BATCH),
                s.bytes(ServeSettings.INGEST_MAX_BATCH_BYTES),
                s.integer(ServeSettings.INGEST_MAX_WAITING));
        durable = createdBatching;
      }
      this.batching = createdBatching;
      this.spool = createdSpool;
      this.publisher = createdPublisher;
      this.alerts = createdAlerts;
      this.watch = createdAlerts == null ? null : watch(s, ch, createdAlerts);
      this.intake = new Intake(new ReportParser(ParserSettings.limits(s)), durable, dkim, mode);
      if (createdSpool != null) {
        // spooled reports count as accepted or duplicate in the intake's counts once loaded
        createdLoader =
            new SpoolLoader(
                createdSpool,
                new ReportParser(ParserSettings.limits(s)),
                spoolTarget,
                s.integer(ServeSettings.INGEST_MAX_BATCH),
                s.bytes(ServeSettings.INGEST_MAX_BATCH_BYTES),
                TimeUnit.SECONDS.toMillis(s.integer(ServeSettings.INGEST_MAX_BACKOFF_SECONDS)),
                intake::loaded);
      }
      this.loader = createdLoader;
      KafkaPublisher pub = createdPublisher;
      this.api =
          new StoreApi(
              ch,
              ch == null ? null : StorageSettings.summaries(s, ch),
              "this ingest node keeps no store: in the Kafka pipeline with the embedded engine, the"
                  + " worker that owns the store answers /api/summary (worker.listen)",
              () ->
                  pub == null || pub.failed() == 0 || pub.lastFailureAgeMillis() > 60_000
                      ? null
                      : "Kafka did not acknowledge an input in the last minute");

      InetSocketAddress smtpAt = ServeSettings.listen(s, ServeSettings.SMTP_LISTEN);
      this.smtp =
          smtpAt == null
              ? null
              : new SmtpListener(
                  new SmtpSettings(
                      smtpAt.getAddress(),
                      smtpAt.getPort(),
                      s.string(ServeSettings.SMTP_HOSTNAME),
                      new LinkedHashSet<>(
                          Arrays.asList(s.string(ServeSettings.SMTP_RECIPIENTS).split(","))),
                      smtpTls(s, dataDir),
                      (int)
                          Math.min(
                              Integer.MAX_VALUE, s.bytes(ServeSettings.SMTP_MAX_MESSAGE_BYTES)),
                      s.integer(ServeSettings.SMTP_MAX_CONNECTIONS),
                      s.integer(ServeSettings.SMTP_TIMEOUT_SECONDS)),
                  intake);

      this.imapSettings = ServeSettings.imap(s);
      this.imap =
          imapSettings == null
              ? null
              : new ImapPoller(imapSettings, intake, dataDir.resolve("imap"));

      InetSocketAddress httpAt = ServeSettings.listen(s, ServeSettings.HTTP_LISTEN);
      this.receiver =
          new ReportReceiver(
              intake,
              s.bytes(ServeSettings.HTTP_MAX_BODY_BYTES),
              s.integerOrZero(ServeSettings.HTTP_RATE_LIMIT));
      this.metrics = new ServeMetrics(intake, receiver, smtp, imap, this);
      this.httpThreads = Executors.newVirtualThreadPerTaskExecutor();
      this.http = httpAt == null ? null : httpServer(s, httpAt);
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

  /** Starts everything the settings turn on. */
  public static TlsrptServer start(Settings s, Path dataDirOverride) throws IOException {
    TlsrptServer server = new TlsrptServer(s, dataDirOverride);
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
      server.announce(s);
      int every = s.integer(ServeSettings.SUMMARY_REFRESH_SECONDS);
      server.timer.scheduleWithFixedDelay(server.api::refresh, every, every, TimeUnit.SECONDS);
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The file in an embedded store's data directory that says where its owner answers. */
  public static final String SERVE_FILE = StoreApi.SERVE_FILE;

  private void announce(Settings s) throws IOException {
    if (serveFile == null || http == null || !s.string(ServeSettings.HTTP_TLS_KEYSTORE).isBlank()) {
      return; // only a plain-HTTP API on this machine is of use to the local commands
    }
    StoreApi.announce(serveFile, http.getAddress());
  }

  /** The posture watch of check.domains, or null when none is watched. */
  static PostureWatch watch(Settings s, ClickHouse ch, AlertEngine alerts) {
    List<String> domains =
        Arrays.stream(s.string(CheckSettings.DOMAINS).split(","))
            .map(String::trim)
            .filter(d -> !d.isEmpty())
            .toList();
    if (domains.isEmpty()) {
      return null;
    }
    String db = StorageSettings.database(s);
    return new PostureWatch(
            domains,
            new PostureChecker(
                CheckSettings.options(s, java.time.Clock.systemUTC()),
                new StoredReportedPolicies(ch, db)),
            ch,
            db,
            alerts,
            Alerting.dashboardUrl(s, ServeSettings.listen(s, ServeSettings.HTTP_LISTEN)))
        .start(Duration.ofMinutes(s.integer(CheckSettings.INTERVAL_MINUTES)));
  }

  /** The in-app alerting of a process that stores reports. */
  static AlertEngine alerts(Settings s, ClickHouse ch) {
    InetSocketAddress at = ServeSettings.listen(s, ServeSettings.HTTP_LISTEN);
    return Alerting.create(s, ch, StorageSettings.database(s), at, java.time.Clock.systemUTC());
  }

  private static DkimMode parseMode(Settings s) {
    try {
      return DkimMode.parse(s.string(ServeSettings.DKIM_MODE));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          ServeSettings.DKIM_MODE.key() + " (TLSRPT_DKIM_MODE): " + e.getMessage());
    }
  }

  private static SSLContext smtpTls(Settings s, Path dataDir) {
    String keystore = s.string(ServeSettings.SMTP_TLS_KEYSTORE);
    if (!keystore.isBlank()) {
      return Tls.server(Path.of(keystore), s.string(ServeSettings.SMTP_TLS_PASSWORD).toCharArray());
    }
    char[] pw = "tlsrpt-self-signed".toCharArray();
    return Tls.server(
        Tls.selfSigned(dataDir.resolve("tls"), s.string(ServeSettings.SMTP_HOSTNAME), pw), pw);
  }

  private HttpServer httpServer(Settings s, InetSocketAddress at) throws IOException {
    String keystore = s.string(ServeSettings.HTTP_TLS_KEYSTORE);
    HttpServer server;
    if (keystore.isBlank()) {
      server = HttpServer.create(at, 0);
    } else {
      HttpsServer https = HttpsServer.create(at, 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(
              Tls.server(
                  Path.of(keystore), s.string(ServeSettings.HTTP_TLS_PASSWORD).toCharArray())));
      server = https;
    }
    server.createContext(s.string(ServeSettings.HTTP_REPORT_PATH), receiver);
    server.createContext("/health", api::health);
    server.createContext("/metrics", metrics::handle);
    server.createContext("/api/summary", api::summary);
    WebDashboard.of(s, ch).register(server); // the page at / and its /api/ endpoints
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
  public void describe(PrintWriter out, Settings s) {
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
              + s.string(ServeSettings.HTTP_REPORT_PATH)
              + "; /health, /metrics, /api/summary)");
    }
    if (smtp != null) {
      out.println(
          "  SMTP  "
              + s.string(ServeSettings.SMTP_LISTEN).replaceAll(":\\d+$", "")
              + ":"
              + smtp.port()
              + "  (STARTTLS; mail for "
              + s.string(ServeSettings.SMTP_RECIPIENTS)
              + "; DKIM "
              + s.string(ServeSettings.DKIM_MODE)
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

package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.tlsrpt.alerting.AlertEngine;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.config.HttpServerSettings;
import org.tlsrpt.app.config.ServeSettings;
import org.tlsrpt.app.config.SmtpListenerSettings;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.DkimCheck;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.http.ReportReceiver;
import org.tlsrpt.ingest.imap.ImapPoller;
import org.tlsrpt.ingest.imap.ImapSettings;
import org.tlsrpt.ingest.smtp.SmtpListener;
import org.tlsrpt.ingest.smtp.SmtpSettings;
import org.tlsrpt.ingest.tls.Tls;
import org.tlsrpt.posture.watch.PostureWatch;
import org.tlsrpt.web.WebDashboard;

/**
 * What {@code tlsrpt serve} runs: the store, the {@link Pipeline} the settings choose, the intake
 * every source shares, the SMTP listener, the IMAP poller, the HTTP server ({@code POST} reports,
 * {@code /health}, {@code /metrics}, {@code /api/summary}, the dashboard), and the background
 * refresh of the daily summary. {@link #close()} stops the sources first, then the pipeline stores
 * what they handed in, then the store closes; a start that fails part-way closes what it started.
 */
public final class TlsrptServer implements AutoCloseable {
  /** The file in an embedded store's data directory that says where its owner answers. */
  public static final String SERVE_FILE = StoreApi.SERVE_FILE;

  private static final String NO_STORE =
      "this ingest node keeps no store: in the Kafka pipeline with the embedded engine, the"
          + " worker that owns the store answers /api/summary (worker.listen)";

  private final ServeSettings settings;
  private final Teardown started;
  private final OpenStore store;
  private final Pipeline pipeline;
  private final Intake intake;
  private final SmtpListener smtp;
  private final ImapPoller imap;
  private final HttpServer http;

  private TlsrptServer(
      ServeSettings settings,
      Teardown started,
      OpenStore store,
      Pipeline pipeline,
      Intake intake,
      SmtpListener smtp,
      ImapPoller imap,
      HttpServer http) {
    this.settings = settings;
    this.started = started;
    this.store = store;
    this.pipeline = pipeline;
    this.intake = intake;
    this.smtp = smtp;
    this.imap = imap;
    this.http = http;
  }

  /** Reads the settings, then {@link #start(AllSettings)}. */
  public static TlsrptServer start(Settings s, Path dataDirOverride) throws IOException {
    return start(AllSettings.from(s, dataDirOverride));
  }

  /**
   * Starts everything the settings turn on, in order: the store, the pipeline, the listeners, the
   * summary refresh. When a step fails, what the steps before it started is closed, newest first.
   */
  public static TlsrptServer start(AllSettings c) throws IOException {
    ServeSettings serve = c.serve();
    Path dataDir = c.storage().dataDir();
    DkimCheck dkim = DkimChecks.create(serve.dkim());
    Teardown started = new Teardown();
    try {
      OpenStore store = started.add(OpenStore.forServe(c));
      // the spool loader counts each report it loads, accepted or duplicate, in the intake's
      // counts; the intake is made on the pipeline's store, so it is told of them once it exists
      SpooledPipeline.LoadCounts loads = new SpooledPipeline.LoadCounts();
      Pipeline pipeline = started.add(Pipeline.open(c, store, loads));
      Intake intake = new Intake(c.parser().parser(), pipeline.store(), dkim, serve.dkim().mode());
      loads.countIn(intake);
      SmtpListener smtp = started.add(smtpListener(serve.smtp(), dataDir, intake));
      if (smtp != null) {
        smtp.start();
      }
      ReportReceiver receiver =
          new ReportReceiver(
              intake,
              serve.http().maxBodyBytes(),
              serve.http().rateLimitPerMinute(),
              serve.http().trustedProxies());
      ImapPoller imap =
          serve.imap() == null
              ? null
              : new ImapPoller(serve.imap(), intake, dataDir.resolve("imap"));
      StoreApi api =
          new StoreApi(store.clickHouse(), store.summaries(), NO_STORE, pipeline::problem);
      ServeMetrics metrics =
          new ServeMetrics(intake, receiver, smtp, imap, pipeline, store.alerts());
      HealthPage health = healthPage(serve, api, pipeline, imap);
      HttpServer http =
          serve.http().listen() == null
              ? null
              : httpServer(serve.http(), receiver, api, health, metrics, store, started);
      if (imap != null) {
        started.add(imap).start();
      }
      // other commands on this embedded store find its API in serve.json while serve runs; only a
      // plain-HTTP API on this machine is of use to them
      if (!c.pipeline().kafka()
          && c.storage().embedded()
          && http != null
          && serve.http().tlsKeystore() == null) {
        Path file = dataDir.resolve(StoreApi.SERVE_FILE);
        StoreApi.announce(file, http.getAddress());
        started.onClose(() -> StoreApi.withdraw(file));
      }
      ScheduledExecutorService timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().name("tlsrpt-summary-refresh").daemon().unstarted(r));
      started.onClose(() -> stop(timer)); // a summary refresh in progress ends first
      long every = serve.summaryRefresh().toSeconds();
      timer.scheduleWithFixedDelay(api::refresh, every, every, TimeUnit.SECONDS);
      return new TlsrptServer(serve, started, store, pipeline, intake, smtp, imap, http);
    } catch (IOException | RuntimeException | Error e) {
      started.closeAfter(e);
      throw e;
    }
  }

  /** {@code /health}: storage, the pipeline, the spool's loading, the IMAP mailbox. */
  private static HealthPage healthPage(
      ServeSettings serve, StoreApi api, Pipeline pipeline, ImapPoller imap) {
    Clock clock = Clock.systemUTC();
    List<HealthPage.Source> sources = new ArrayList<>(api.healthSources(clock));
    sources.addAll(pipeline.healthSources());
    if (imap != null) {
      sources.add(new HealthPage.Source("imap", imap.mailbox(), false, imap::health));
    }
    return new HealthPage(sources, serve.healthFailingAfter(), clock);
  }

  /** The SMTP listener (not yet started), or null when smtp.listen turns it off. */
  private static SmtpListener smtpListener(SmtpListenerSettings s, Path dataDir, Intake intake) {
    if (s.listen() == null) {
      return null;
    }
    return new SmtpListener(
        new SmtpSettings(
            s.listen().getAddress(),
            s.listen().getPort(),
            s.hostname(),
            new LinkedHashSet<>(s.recipients()),
            smtpTls(s, dataDir),
            s.maxMessageBytes(),
            s.maxConnections(),
            s.timeoutSeconds()),
        intake);
  }

  private static SSLContext smtpTls(SmtpListenerSettings s, Path dataDir) {
    if (s.tlsKeystore() != null) {
      return Tls.server(s.tlsKeystore(), s.tlsPassword().chars());
    }
    char[] pw = "tlsrpt-self-signed".toCharArray();
    return Tls.server(Tls.selfSigned(dataDir.resolve("tls"), s.hostname(), pw), pw);
  }

  /** Binds the HTTP server and starts it, with every handler. */
  private static HttpServer httpServer(
      HttpServerSettings h,
      ReportReceiver receiver,
      StoreApi api,
      HealthPage health,
      ServeMetrics metrics,
      OpenStore store,
      Teardown started)
      throws IOException {
    HttpServer server;
    if (h.tlsKeystore() == null) {
      server = HttpServer.create(h.listen(), 0);
    } else {
      HttpsServer https = HttpsServer.create(h.listen(), 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(Tls.server(h.tlsKeystore(), h.tlsPassword().chars())));
      server = https;
    }
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    started.onClose(threads::shutdown);
    started.onClose(() -> server.stop(5)); // requests in progress get up to 5 s to finish
    server.createContext(h.reportPath(), receiver);
    server.createContext("/health", health::readiness);
    server.createContext("/health/live", health::liveness);
    server.createContext("/metrics", metrics::handle);
    server.createContext("/api/summary", api::summary);
    new WebDashboard(store.dashboardQueries(), store.readiness(), WebDashboard.NO_STORE)
        .register(server); // the page at / and its /api/ endpoints
    server.setExecutor(threads);
    server.start();
    return server;
  }

  private static void stop(ScheduledExecutorService timer) {
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    out.println("tlsrpt serve: " + pipeline.describe());
    if (http != null) {
      String scheme = http instanceof HttpsServer ? "https" : "http";
      InetSocketAddress a = http.getAddress();
      out.println(
          "  HTTP  "
              + scheme
              + "://"
              + a.getHostString()
              + ":"
              + a.getPort()
              + "  (POST reports to "
              + settings.http().reportPath()
              + "; /health, /health/live, /metrics, /api/summary)");
    }
    if (smtp != null) {
      out.println(
          "  SMTP  "
              + settings.smtp().listenHost()
              + ":"
              + smtp.port()
              + "  (STARTTLS; mail for "
              + String.join(",", settings.smtp().recipients())
              + "; DKIM "
              + settings.dkim().mode().name().toLowerCase(Locale.ROOT)
              + ")");
    }
    if (imap != null) {
      ImapSettings i = settings.imap();
      out.println(
          "  IMAP  "
              + i.account()
              + "  ("
              + i.security().name().toLowerCase(Locale.ROOT)
              + (i.oauth() == null ? "" : "; OAuth2 " + i.oauth().grant())
              + "; stored mail moves to "
              + (i.deleteAfterProcessing() ? "the bin" : i.processedFolder())
              + ", invalid reports to "
              + i.rejectedFolder()
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
    started.close();
  }

  /**
   * Waits until every input answered so far is in ClickHouse (the spool loaded); false on timeout.
   */
  public boolean awaitStored(Duration timeout) throws InterruptedException {
    return !(pipeline instanceof SpooledPipeline spooled) || spooled.awaitLoaded(timeout);
  }

  /** The posture watch, or null when check.domains is empty or this node stores nothing. */
  public PostureWatch watch() {
    return store.watch();
  }

  /** The in-app alerting, or null on a Kafka ingest node (the workers alert). */
  public AlertEngine alerts() {
    return store.alerts();
  }
}

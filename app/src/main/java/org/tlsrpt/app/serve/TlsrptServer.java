package org.tlsrpt.app.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.app.config.ConfigurationException;
import org.tlsrpt.app.config.ParserSettings;
import org.tlsrpt.app.config.ServeSettings;
import org.tlsrpt.app.config.Settings;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.ingest.BatchingStore;
import org.tlsrpt.ingest.DkimCheck;
import org.tlsrpt.ingest.DkimMode;
import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.http.JsonText;
import org.tlsrpt.ingest.http.ReportReceiver;
import org.tlsrpt.ingest.imap.ImapPoller;
import org.tlsrpt.ingest.imap.ImapSettings;
import org.tlsrpt.ingest.smtp.SmtpListener;
import org.tlsrpt.ingest.smtp.SmtpSettings;
import org.tlsrpt.ingest.spool.Spool;
import org.tlsrpt.ingest.spool.SpoolLoader;
import org.tlsrpt.ingest.spool.SpoolStore;
import org.tlsrpt.ingest.tls.Tls;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * What {@code tlsrpt serve} runs: the store, the intake every source shares, the SMTP listener, the
 * HTTP server ({@code POST} reports, {@code /health}, {@code /metrics}, {@code /api/summary}), and
 * the background refresh of the daily summary. {@link #close()} stops the sources first, then
 * stores what they handed in, then closes the store.
 */
public final class TlsrptServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsrptServer.class);
  private static final Pattern DAYS = Pattern.compile("(\\d+)d");

  private final ClickHouse ch;
  private final BatchingStore batching;
  private final Spool spool;
  private final SpoolLoader loader;
  private final Intake intake;
  private final Summaries summaries;
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
    this.ch = StorageSettings.open(s, dataDirOverride);
    BatchingStore createdBatching = null;
    Spool createdSpool = null;
    SpoolLoader createdLoader = null;
    // other commands on this embedded store find the API here while it runs
    this.serveFile =
        s.string(StorageSettings.CLICKHOUSE_URL).isBlank() ? dataDir.resolve(SERVE_FILE) : null;
    try {
      this.storeDescription = ch.describe();
      ReportStore reportStore = new ReportStore(ch, StorageSettings.database(s));
      DurableStore durable;
      if (s.bool(ServeSettings.INGEST_SPOOL)) {
        createdSpool =
            new Spool(
                dataDir.resolve("intake-spool"),
                s.bytes(ServeSettings.INGEST_SPOOL_SEGMENT_BYTES),
                s.bytes(ServeSettings.INGEST_MAX_BACKLOG_BYTES),
                s.integer(ServeSettings.INGEST_MAX_WAITING));
        createdLoader =
            new SpoolLoader(
                createdSpool,
                new ReportParser(ParserSettings.limits(s)),
                reportStore,
                s.integer(ServeSettings.INGEST_MAX_BATCH),
                s.bytes(ServeSettings.INGEST_MAX_BATCH_BYTES),
                TimeUnit.SECONDS.toMillis(s.integer(ServeSettings.INGEST_MAX_BACKOFF_SECONDS)));
        durable = new SpoolStore(createdSpool);
      } else {
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
      this.loader = createdLoader;
      this.intake = new Intake(new ReportParser(ParserSettings.limits(s)), durable, dkim, mode);
      this.summaries = StorageSettings.summaries(s, ch);

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
      ch.close();
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
      server.timer.scheduleWithFixedDelay(server::refresh, every, every, TimeUnit.SECONDS);
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The file in an embedded store's data directory that says where its serve answers. */
  public static final String SERVE_FILE = "serve.json";

  private void announce(Settings s) throws IOException {
    if (serveFile == null || http == null || !s.string(ServeSettings.HTTP_TLS_KEYSTORE).isBlank()) {
      return; // only a plain-HTTP API on this machine is of use to the local commands
    }
    InetSocketAddress a = http.getAddress();
    String host =
        a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    java.nio.file.Files.writeString(
        serveFile,
        "{\"pid\": "
            + ProcessHandle.current().pid()
            + ", \"url\": \"http://"
            + host
            + ":"
            + a.getPort()
            + "\"}\n");
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
    server.createContext("/health", this::health);
    server.createContext("/metrics", metrics::handle);
    server.createContext("/api/summary", this::apiSummary);
    server.setExecutor(httpThreads);
    return server;
  }

  private void refresh() {
    try {
      summaries.refresh();
    } catch (RuntimeException e) {
      LOG.warn("could not bring the daily summary up to date: {}", e.getMessage());
    }
  }

  private void health(HttpExchange x) throws IOException {
    try (x) {
      try {
        ch.query("SELECT 1", "TabSeparated");
        send(x, 200, "application/json", "{\"status\":\"ok\",\"storage\":\"ok\"}\n");
      } catch (RuntimeException e) {
        send(
            x,
            503,
            "application/json",
            "{\"status\":\"unavailable\",\"storage\":\""
                + JsonText.escape(e.getMessage())
                + "\"}\n");
      }
    }
  }

  private void apiSummary(HttpExchange x) throws IOException {
    try (x) {
      Map<String, String> q = query(x.getRequestURI());
      Matcher m = DAYS.matcher(q.getOrDefault("since", "30d"));
      if (!m.matches()) {
        send(
            x,
            400,
            "application/json",
            "{\"error\":\"since takes a number of days such as 30d\"}\n");
        return;
      }
      Summaries.By by;
      try {
        by = Summaries.By.parse(q.getOrDefault("by", "org"));
      } catch (IllegalArgumentException e) {
        send(x, 400, "application/json", "{\"error\":\"by takes org, domain, mx or result\"}\n");
        return;
      }
      try {
        String json =
            SummaryJson.render(
                summaries.summary(
                    Summaries.since(Integer.parseInt(m.group(1))), q.get("domain"), by));
        send(x, 200, "application/json", json + "\n");
      } catch (RuntimeException e) {
        send(
            x,
            503,
            "application/json",
            "{\"error\":\"" + JsonText.escape(String.valueOf(e.getMessage())) + "\"}\n");
      }
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  static void send(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
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
  public void describe(PrintWriter out, Settings s) {
    out.println("tlsrpt serve: storing in " + storeDescription);
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
    if (serveFile != null) {
      try {
        java.nio.file.Files.deleteIfExists(serveFile);
      } catch (IOException e) {
        LOG.warn("could not remove {}: {}", serveFile, e.getMessage());
      }
    }
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
    ch.close();
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

  /** Failed attempts to load the spool so far. */
  long loadFailures() {
    return loader == null ? 0 : loader.failures();
  }
}

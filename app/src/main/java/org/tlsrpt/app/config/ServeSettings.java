package org.tlsrpt.app.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Secret;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.BatchWriter;
import org.tlsrpt.ingest.DkimMode;
import org.tlsrpt.ingest.dkim.DkimSettings;
import org.tlsrpt.ingest.http.TrustedProxies;
import org.tlsrpt.ingest.imap.ImapSettings;

/**
 * Settings of {@code tlsrpt serve}: its HTTP server, SMTP listener, DKIM check, IMAP poller and
 * intake, read once at start-up by {@link #from}.
 *
 * @param imap the IMAP poller's settings, or null when {@code imap.host} is empty
 * @param summaryRefresh how often the daily summary is brought up to date
 * @param healthFailingAfter how long a source that reaches out (an IMAP mailbox, the spool's
 *     loading) may fail before {@code /health} answers 503
 */
public record ServeSettings(
    Http http,
    Smtp smtp,
    Dkim dkim,
    ImapSettings imap,
    Ingest ingest,
    Duration summaryRefresh,
    Duration healthFailingAfter) {

  /**
   * The HTTP server ({@code http.*}).
   *
   * @param listen where it listens, or null when it is off
   * @param tlsKeystore the HTTPS certificate, or null to serve plain HTTP
   * @param rateLimitPerMinute report POSTs per client and minute; 0 for no limit
   */
  public record Http(
      InetSocketAddress listen,
      Path tlsKeystore,
      Secret tlsPassword,
      String reportPath,
      long maxBodyBytes,
      int rateLimitPerMinute,
      TrustedProxies trustedProxies) {
    static Http from(Settings s) {
      String keystore = s.string(HTTP_TLS_KEYSTORE);
      TrustedProxies proxies;
      try {
        proxies = TrustedProxies.parse(s.string(HTTP_TRUSTED_PROXIES));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            HTTP_TRUSTED_PROXIES.key()
                + " ("
                + HTTP_TRUSTED_PROXIES.environmentVariable()
                + "): "
                + e.getMessage());
      }
      return new Http(
          listenAddress(s, HTTP_LISTEN),
          keystore.isBlank() ? null : Path.of(keystore),
          s.secret(HTTP_TLS_PASSWORD),
          s.string(HTTP_REPORT_PATH),
          s.bytes(HTTP_MAX_BODY_BYTES),
          s.integerOrZero(HTTP_RATE_LIMIT),
          proxies);
    }
  }

  /**
   * The SMTP listener ({@code smtp.*}).
   *
   * @param listen where it listens, or null when it is off
   * @param listenHost the host of {@code smtp.listen} as configured, for people
   * @param recipients the addresses mail is accepted for
   * @param tlsKeystore the STARTTLS certificate, or null for a self-signed one under the data
   *     directory
   */
  public record Smtp(
      InetSocketAddress listen,
      String listenHost,
      String hostname,
      List<String> recipients,
      Path tlsKeystore,
      Secret tlsPassword,
      int maxMessageBytes,
      int maxConnections,
      int timeoutSeconds) {
    public Smtp {
      recipients = List.copyOf(recipients);
    }

    static Smtp from(Settings s) {
      String keystore = s.string(SMTP_TLS_KEYSTORE);
      return new Smtp(
          listenAddress(s, SMTP_LISTEN),
          s.string(SMTP_LISTEN).replaceAll(":\\d+$", ""),
          s.string(SMTP_HOSTNAME),
          s.list(SMTP_RECIPIENTS),
          keystore.isBlank() ? null : Path.of(keystore),
          s.secret(SMTP_TLS_PASSWORD),
          (int) Math.min(Integer.MAX_VALUE, s.bytes(SMTP_MAX_MESSAGE_BYTES)),
          s.integer(SMTP_MAX_CONNECTIONS),
          s.integer(SMTP_TIMEOUT_SECONDS));
    }
  }

  /**
   * The DKIM check of report e-mails ({@code dkim.*}).
   *
   * @param lookup how keys are looked up, or null when the mode is off
   */
  public record Dkim(DkimMode mode, DkimSettings lookup) {
    static Dkim from(Settings s) {
      DkimMode mode;
      try {
        mode = DkimMode.parse(s.string(DKIM_MODE));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            DKIM_MODE.key() + " (" + DKIM_MODE.environmentVariable() + "): " + e.getMessage());
      }
      if (mode == DkimMode.OFF) {
        return new Dkim(mode, null);
      }
      try {
        return new Dkim(
            mode,
            new DkimSettings(
                s.string(DKIM_DNS_SERVER).trim(),
                Duration.ofSeconds(s.integer(DKIM_TIMEOUT_SECONDS)),
                s.integer(DKIM_MAX_SIGNATURES)));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            "dkim.dns_server / dkim.timeout_seconds / dkim.max_signatures: " + e.getMessage());
      }
    }
  }

  /**
   * How the intake writes ({@code ingest.*}).
   *
   * @param spool true: answer once spooled (fsync'd), load into ClickHouse in the background;
   *     false: answer once written to ClickHouse
   */
  public record Ingest(
      boolean spool,
      long maxBacklogBytes,
      long spoolSegmentBytes,
      Duration maxBackoff,
      int isolateAfterRefusals,
      int maxBatch,
      long maxBatchBytes,
      int maxWaiting) {
    static Ingest from(Settings s) {
      return new Ingest(
          s.bool(INGEST_SPOOL),
          s.bytes(INGEST_MAX_BACKLOG_BYTES),
          s.bytes(INGEST_SPOOL_SEGMENT_BYTES),
          Duration.ofSeconds(s.integer(INGEST_MAX_BACKOFF_SECONDS)),
          s.integer(INGEST_ISOLATE_AFTER_REFUSALS),
          s.integer(INGEST_MAX_BATCH),
          s.bytes(INGEST_MAX_BATCH_BYTES),
          s.integer(INGEST_MAX_WAITING));
    }
  }

  public static final Setting HTTP_LISTEN =
      new Setting(
          "http.listen",
          "127.0.0.1:8080",
          "host:port of the HTTP server (HTTPS receiver, /health, /metrics, /api/summary); port 0"
              + " turns it off.");
  public static final Setting HTTP_TLS_KEYSTORE =
      new Setting(
          "http.tls_keystore",
          "",
          "PKCS12 key store with the HTTPS certificate; empty serves plain HTTP (put a TLS proxy in"
              + " front, RFC 8460 requires HTTPS).");
  public static final Setting HTTP_TLS_PASSWORD =
      new Setting("http.tls_password", "", "Password of http.tls_keystore.");
  public static final Setting HTTP_REPORT_PATH =
      new Setting("http.report_path", "/v1/tlsrpt", "Path reporters POST reports to.");
  public static final Setting HTTP_MAX_BODY_BYTES =
      new Setting(
          "http.max_body_bytes", "10MiB", "Larger POSTs are refused with 413 and not stored.");
  public static final Setting HTTP_RATE_LIMIT =
      new Setting(
          "http.rate_limit_per_minute",
          "60",
          "Report POSTs per client address and minute (bursts up to the same number); 0 turns the"
              + " limit off. Over it: 429.");
  public static final Setting HTTP_TRUSTED_PROXIES =
      new Setting(
          "http.trusted_proxies",
          "",
          "Comma-separated addresses or CIDR ranges of the TLS proxies in front of the HTTPS"
              + " receiver: from them, the client (rate limit, logs) is the right-most"
              + " X-Forwarded-For address that is not a trusted proxy. Empty: the header is"
              + " ignored.");

  public static final Setting SMTP_LISTEN =
      new Setting(
          "smtp.listen", "127.0.0.1:2525", "host:port of the SMTP listener; port 0 turns it off.");
  public static final Setting SMTP_HOSTNAME =
      new Setting("smtp.hostname", "localhost", "Name the SMTP listener greets with.");
  public static final Setting SMTP_RECIPIENTS =
      new Setting(
          "smtp.recipients",
          "tlsrpt@localhost",
          "Comma-separated addresses mail is accepted for (the rua mailto: of your domains); any"
              + " other gets 550.");
  public static final Setting SMTP_TLS_KEYSTORE =
      new Setting(
          "smtp.tls_keystore",
          "",
          "PKCS12 key store with the STARTTLS certificate; empty makes a self-signed one under"
              + " DATA_DIR/tls for local use.");
  public static final Setting SMTP_TLS_PASSWORD =
      new Setting("smtp.tls_password", "", "Password of smtp.tls_keystore.");
  public static final Setting SMTP_MAX_MESSAGE_BYTES =
      new Setting(
          "smtp.max_message_bytes",
          "10MiB",
          "Larger messages are refused with 552 and not stored.");
  public static final Setting SMTP_MAX_CONNECTIONS =
      new Setting("smtp.max_connections", "200", "Concurrent SMTP sessions at most.");
  public static final Setting SMTP_TIMEOUT_SECONDS =
      new Setting("smtp.timeout_seconds", "60", "An idle SMTP session is closed after this long.");

  public static final Setting DKIM_MODE =
      new Setting(
          "dkim.mode",
          "enforce",
          "enforce: report e-mails without a valid, aligned DKIM signature are quarantined; record:"
              + " the verdict is stored and every report counts; off: no check.");
  public static final Setting DKIM_DNS_SERVER =
      new Setting(
          "dkim.dns_server",
          "",
          "host:port of the DNS server DKIM keys are looked up on; empty uses the system's.");
  public static final Setting DKIM_TIMEOUT_SECONDS =
      new Setting("dkim.timeout_seconds", "5", "DNS timeout of a DKIM key lookup.");

  public static final Setting DKIM_MAX_SIGNATURES =
      new Setting(
          "dkim.max_signatures",
          "10",
          "A message with more DKIM signatures fails without any key lookup (each costs a DNS query).");

  public static final Setting INGEST_SPOOL =
      new Setting(
          "ingest.spool",
          "true",
          "true: senders are answered once their input is fsync'd to a local spool under"
              + " DATA_DIR/intake-spool, which is loaded into ClickHouse in large batches; false:"
              + " once it is written to ClickHouse (fewer, smaller writes shared by concurrent"
              + " senders).");
  public static final Setting INGEST_MAX_BACKLOG_BYTES =
      new Setting(
          "ingest.max_backlog_bytes",
          "1GiB",
          "Spooled bytes not yet in ClickHouse at most; beyond it senders are told to try later.");
  public static final Setting INGEST_SPOOL_SEGMENT_BYTES =
      new Setting(
          "ingest.spool_segment_bytes", "64MiB", "Size of one spool file before the next begins.");
  public static final Setting INGEST_MAX_BACKOFF_SECONDS =
      new Setting(
          "ingest.max_backoff_seconds",
          "30",
          "Longest wait between attempts to load the spool while ClickHouse fails.");
  public static final Setting INGEST_ISOLATE_AFTER_REFUSALS =
      new Setting(
          "ingest.isolate_after_refusals",
          Integer.toString(BatchWriter.DEFAULT_ISOLATE_AFTER_REFUSALS),
          "Times ClickHouse may refuse a batch of the spool while it answers before the batch is"
              + " split to find the inputs it refuses on their own, which are kept as rejected"
              + " (unprocessable) so that they hold up nothing; 1 splits at the first refusal.");
  public static final Setting INGEST_MAX_BATCH =
      new Setting("ingest.max_batch", "5000", "Inputs written to ClickHouse together at most.");
  public static final Setting INGEST_MAX_BATCH_BYTES =
      new Setting(
          "ingest.max_batch_bytes",
          "64MiB",
          "Raw bytes written together at most (a write holds them all in memory).");
  public static final Setting INGEST_MAX_WAITING =
      new Setting(
          "ingest.max_waiting",
          "10000",
          "Inputs waiting to be written at most; senders beyond it wait for room.");
  public static final Setting SUMMARY_REFRESH_SECONDS =
      new Setting(
          "summary.refresh_seconds",
          "30",
          "How often serve brings the daily summary up to date in the background.");
  public static final Setting HEALTH_FAILING_AFTER_SECONDS =
      new Setting(
          "health.failing_after_seconds",
          "300",
          "/health answers 503 once an IMAP mailbox or the spool's loading has failed this long"
              + " (0: at once; storage and Kafka: always at once).");

  public static final List<Setting> ALL =
      Stream.of(
              List.of(
                  HTTP_LISTEN,
                  HTTP_TLS_KEYSTORE,
                  HTTP_TLS_PASSWORD,
                  HTTP_REPORT_PATH,
                  HTTP_MAX_BODY_BYTES,
                  HTTP_RATE_LIMIT,
                  HTTP_TRUSTED_PROXIES,
                  SMTP_LISTEN,
                  SMTP_HOSTNAME,
                  SMTP_RECIPIENTS,
                  SMTP_TLS_KEYSTORE,
                  SMTP_TLS_PASSWORD,
                  SMTP_MAX_MESSAGE_BYTES,
                  SMTP_MAX_CONNECTIONS,
                  SMTP_TIMEOUT_SECONDS,
                  DKIM_MODE,
                  DKIM_DNS_SERVER,
                  DKIM_TIMEOUT_SECONDS,
                  DKIM_MAX_SIGNATURES),
              ImapKeys.ALL,
              List.of(
                  INGEST_SPOOL,
                  INGEST_MAX_BACKLOG_BYTES,
                  INGEST_SPOOL_SEGMENT_BYTES,
                  INGEST_MAX_BACKOFF_SECONDS,
                  INGEST_ISOLATE_AFTER_REFUSALS,
                  INGEST_MAX_BATCH,
                  INGEST_MAX_BATCH_BYTES,
                  INGEST_MAX_WAITING,
                  SUMMARY_REFRESH_SECONDS,
                  HEALTH_FAILING_AFTER_SECONDS))
          .flatMap(List::stream)
          .toList();

  /**
   * Reads and checks every key of serve's listeners and intake.
   *
   * @throws ConfigurationException naming the key of a value that is not valid
   */
  public static ServeSettings from(Settings s) {
    return new ServeSettings(
        Http.from(s),
        Smtp.from(s),
        Dkim.from(s),
        ImapKeys.from(s),
        Ingest.from(s),
        Duration.ofSeconds(s.integer(SUMMARY_REFRESH_SECONDS)),
        Duration.ofSeconds(s.integerOrZero(HEALTH_FAILING_AFTER_SECONDS)));
  }

  /** A host:port setting; null when the port is 0 (turned off). */
  static InetSocketAddress listenAddress(Settings s, Setting setting) {
    String v = s.string(setting).trim();
    int colon = v.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigurationException(
          setting.key()
              + " ("
              + setting.environmentVariable()
              + ") must be host:port, not '"
              + v
              + "'");
    }
    String host = v.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new ConfigurationException(
          setting.key()
              + " ("
              + setting.environmentVariable()
              + "): '"
              + v
              + "' has no valid port (0 turns it off)");
    }
    return port == 0 ? null : new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
  }
}

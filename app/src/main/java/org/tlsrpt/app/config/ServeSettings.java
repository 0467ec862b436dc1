package org.tlsrpt.app.config;

import java.net.InetSocketAddress;
import java.util.List;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.BatchWriter;

/** Settings of {@code tlsrpt serve}: its HTTP server, SMTP listener, DKIM check and intake. */
public final class ServeSettings {
  private ServeSettings() {}

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

  public static final Setting IMAP_HOST =
      new Setting(
          "imap.host", "", "IMAP server of the rua mailbox to read; empty turns the poller off.");
  public static final Setting IMAP_PORT =
      new Setting("imap.port", "0", "IMAP port; 0 uses 993 for imaps and 143 otherwise.");
  public static final Setting IMAP_SECURITY =
      new Setting(
          "imap.security",
          "imaps",
          "imaps (TLS from the first byte), starttls (required) or plain (loopback or a trusted"
              + " network only).");
  public static final Setting IMAP_USER = new Setting("imap.user", "", "IMAP login.");
  public static final Setting IMAP_PASSWORD =
      new Setting("imap.password", "", "IMAP password (TLSRPT_IMAP_PASSWORD_FILE reads a file).");
  public static final Setting IMAP_FOLDER =
      new Setting("imap.folder", "INBOX", "The folder reports arrive in.");
  public static final Setting IMAP_PROCESSED_FOLDER =
      new Setting(
          "imap.processed_folder", "processed", "Where stored messages are moved (created).");
  public static final Setting IMAP_REJECTED_FOLDER =
      new Setting(
          "imap.rejected_folder",
          "rejected",
          "Where messages that are not valid reports are moved, after being stored as rejected.");
  public static final Setting IMAP_DELETE =
      new Setting(
          "imap.delete_after_processing",
          "false",
          "true deletes stored messages instead of moving them (rejected ones are always moved).");
  public static final Setting IMAP_IDLE =
      new Setting("imap.idle", "true", "Use IMAP IDLE when the server offers it.");
  public static final Setting IMAP_POLL_SECONDS =
      new Setting(
          "imap.poll_seconds",
          "300",
          "How often the folder is checked without IDLE (with IDLE, how often IDLE is renewed).");
  public static final Setting IMAP_TRUSTSTORE =
      new Setting(
          "imap.truststore",
          "",
          "PKCS12 or JKS trust store for the server's certificate; empty uses the JDK's.");
  public static final Setting IMAP_TRUSTSTORE_PASSWORD =
      new Setting("imap.truststore_password", "", "Password of imap.truststore.");
  public static final Setting IMAP_CONNECT_TIMEOUT_SECONDS =
      new Setting("imap.connect_timeout_seconds", "30", "IMAP connect timeout.");
  public static final Setting IMAP_READ_TIMEOUT_SECONDS =
      new Setting("imap.read_timeout_seconds", "300", "IMAP read timeout.");
  public static final Setting IMAP_MAX_BACKOFF_SECONDS =
      new Setting(
          "imap.max_backoff_seconds",
          "300",
          "Longest wait between attempts after a failure (from 1 s, doubling).");
  public static final Setting IMAP_MAX_MESSAGE_BYTES =
      new Setting(
          "imap.max_message_bytes",
          "32MiB",
          "Larger messages are moved to the rejected folder unread.");

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

  public static final List<Setting> ALL =
      List.of(
          HTTP_LISTEN,
          HTTP_TLS_KEYSTORE,
          HTTP_TLS_PASSWORD,
          HTTP_REPORT_PATH,
          HTTP_MAX_BODY_BYTES,
          HTTP_RATE_LIMIT,
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
          DKIM_MAX_SIGNATURES,
          IMAP_HOST,
          IMAP_PORT,
          IMAP_SECURITY,
          IMAP_USER,
          IMAP_PASSWORD,
          IMAP_FOLDER,
          IMAP_PROCESSED_FOLDER,
          IMAP_REJECTED_FOLDER,
          IMAP_DELETE,
          IMAP_IDLE,
          IMAP_POLL_SECONDS,
          IMAP_TRUSTSTORE,
          IMAP_TRUSTSTORE_PASSWORD,
          IMAP_CONNECT_TIMEOUT_SECONDS,
          IMAP_READ_TIMEOUT_SECONDS,
          IMAP_MAX_BACKOFF_SECONDS,
          IMAP_MAX_MESSAGE_BYTES,
          INGEST_SPOOL,
          INGEST_MAX_BACKLOG_BYTES,
          INGEST_SPOOL_SEGMENT_BYTES,
          INGEST_MAX_BACKOFF_SECONDS,
          INGEST_ISOLATE_AFTER_REFUSALS,
          INGEST_MAX_BATCH,
          INGEST_MAX_BATCH_BYTES,
          INGEST_MAX_WAITING,
          SUMMARY_REFRESH_SECONDS);

  /** The IMAP poller's settings, or null when imap.host is empty. */
  public static org.tlsrpt.ingest.imap.ImapSettings imap(Settings s) {
    String host = s.string(IMAP_HOST).trim();
    if (host.isEmpty()) {
      return null;
    }
    try {
      org.tlsrpt.ingest.imap.ImapSettings.Security security =
          org.tlsrpt.ingest.imap.ImapSettings.Security.parse(s.string(IMAP_SECURITY));
      int port = s.integerOrZero(IMAP_PORT);
      String trust = s.string(IMAP_TRUSTSTORE).trim();
      return new org.tlsrpt.ingest.imap.ImapSettings(
          host,
          port == 0 ? security.defaultPort() : port,
          security,
          s.string(IMAP_USER),
          s.string(IMAP_PASSWORD),
          s.string(IMAP_FOLDER),
          s.string(IMAP_PROCESSED_FOLDER),
          s.string(IMAP_REJECTED_FOLDER),
          s.bool(IMAP_DELETE),
          java.time.Duration.ofSeconds(s.integer(IMAP_POLL_SECONDS)),
          s.bool(IMAP_IDLE),
          trust.isEmpty() ? null : java.nio.file.Path.of(trust),
          trust.isEmpty() ? null : s.string(IMAP_TRUSTSTORE_PASSWORD),
          java.time.Duration.ofSeconds(s.integer(IMAP_CONNECT_TIMEOUT_SECONDS)),
          java.time.Duration.ofSeconds(s.integer(IMAP_READ_TIMEOUT_SECONDS)),
          java.time.Duration.ofSeconds(s.integer(IMAP_MAX_BACKOFF_SECONDS)),
          (int)
              Math.min(
                  org.tlsrpt.ingest.imap.ImapSettings.MAX_MESSAGE_BYTES_LIMIT,
                  s.bytes(IMAP_MAX_MESSAGE_BYTES)));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("imap.*: " + e.getMessage());
    }
  }

  /** A host:port setting; null when the port is 0 (turned off). */
  public static InetSocketAddress listen(Settings s, Setting setting) {
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

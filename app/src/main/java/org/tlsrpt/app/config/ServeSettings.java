package org.tlsrpt.app.config;

import java.net.InetSocketAddress;
import java.util.List;

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

  public static final Setting INGEST_MAX_BATCH =
      new Setting(
          "ingest.max_batch",
          "500",
          "Inputs written together at most: concurrent senders share one write.");
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
          INGEST_MAX_BATCH,
          INGEST_MAX_WAITING,
          SUMMARY_REFRESH_SECONDS);

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

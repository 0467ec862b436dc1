package org.tlsrpt.app.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Secret;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.http.TrustedProxies;

/**
 * The HTTP server ({@code http.*}).
 *
 * @param listen where it listens, or null when it is off
 * @param tlsKeystore the HTTPS certificate, or null to serve plain HTTP
 * @param rateLimitPerMinute report POSTs per client and minute; 0 for no limit
 */
public record HttpServerSettings(
    InetSocketAddress listen,
    Path tlsKeystore,
    Secret tlsPassword,
    String reportPath,
    long maxBodyBytes,
    int rateLimitPerMinute,
    TrustedProxies trustedProxies) {
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

  /** The keys read by {@link #from}, in the order the documentation lists them. */
  public static final List<Setting> ALL =
      List.of(
          HTTP_LISTEN,
          HTTP_TLS_KEYSTORE,
          HTTP_TLS_PASSWORD,
          HTTP_REPORT_PATH,
          HTTP_MAX_BODY_BYTES,
          HTTP_RATE_LIMIT,
          HTTP_TRUSTED_PROXIES);

  static HttpServerSettings from(Settings s) {
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
    return new HttpServerSettings(
        ServeSettings.listenAddress(s, HTTP_LISTEN),
        keystore.isBlank() ? null : Path.of(keystore),
        s.secret(HTTP_TLS_PASSWORD),
        s.string(HTTP_REPORT_PATH),
        s.bytes(HTTP_MAX_BODY_BYTES),
        s.integerOrZero(HTTP_RATE_LIMIT),
        proxies);
  }
}

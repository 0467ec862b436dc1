package org.tlsrpt.app.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.tlsrpt.config.Secret;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;

/**
 * The SMTP listener ({@code smtp.*}).
 *
 * @param listen where it listens, or null when it is off
 * @param listenHost the host of {@code smtp.listen} as configured, for people
 * @param recipients the addresses mail is accepted for
 * @param tlsKeystore the STARTTLS certificate, or null for a self-signed one under the data
 *     directory
 */
public record SmtpListenerSettings(
    InetSocketAddress listen,
    String listenHost,
    String hostname,
    List<String> recipients,
    Path tlsKeystore,
    Secret tlsPassword,
    int maxMessageBytes,
    int maxConnections,
    int timeoutSeconds) {
  public SmtpListenerSettings {
    recipients = List.copyOf(recipients);
  }

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

  /** The keys read by {@link #from}, in the order the documentation lists them. */
  public static final List<Setting> ALL =
      List.of(
          SMTP_LISTEN,
          SMTP_HOSTNAME,
          SMTP_RECIPIENTS,
          SMTP_TLS_KEYSTORE,
          SMTP_TLS_PASSWORD,
          SMTP_MAX_MESSAGE_BYTES,
          SMTP_MAX_CONNECTIONS,
          SMTP_TIMEOUT_SECONDS);

  static SmtpListenerSettings from(Settings s) {
    String keystore = s.string(SMTP_TLS_KEYSTORE);
    return new SmtpListenerSettings(
        ServeSettings.listenAddress(s, SMTP_LISTEN),
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

package org.tlsrpt.app.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
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
    HttpServerSettings http,
    SmtpListenerSettings smtp,
    DkimCheckSettings dkim,
    ImapSettings imap,
    IngestSettings ingest,
    Duration summaryRefresh,
    Duration healthFailingAfter) {

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
              HttpServerSettings.ALL,
              SmtpListenerSettings.ALL,
              DkimCheckSettings.ALL,
              ImapKeys.ALL,
              IngestSettings.ALL,
              List.of(SUMMARY_REFRESH_SECONDS, HEALTH_FAILING_AFTER_SECONDS))
          .flatMap(List::stream)
          .toList();

  /**
   * Reads and checks every key of serve's listeners and intake.
   *
   * @throws ConfigurationException naming the key of a value that is not valid
   */
  public static ServeSettings from(Settings s) {
    return new ServeSettings(
        HttpServerSettings.from(s),
        SmtpListenerSettings.from(s),
        DkimCheckSettings.from(s),
        ImapKeys.from(s),
        IngestSettings.from(s),
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

package org.tlsrpt.alerting;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.tls.Tls;
import org.tlsrpt.storage.engine.ClickHouse;

/** Builds the alert engine and its channels from the settings. */
public final class Alerting {
  private Alerting() {}

  /**
   * @param http where serve's HTTP server listens (for the default dashboard link), or null
   */
  public static AlertEngine create(
      Settings s, ClickHouse ch, String db, InetSocketAddress http, Clock clock) {
    List<Notifier> notifiers = new ArrayList<>();
    String webhook = s.string(AlertSettings.WEBHOOK_URL).trim();
    try {
      if (!webhook.isEmpty()) {
        URI u = URI.create(webhook);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
          throw new IllegalArgumentException("alerts.webhook_url must be an http(s) URL");
        }
        notifiers.add(
            new WebhookNotifier(
                u, s.string(AlertSettings.WEBHOOK_FORMAT).trim().toLowerCase(Locale.ROOT)));
      }
      String to = s.string(AlertSettings.EMAIL_TO).trim();
      if (!to.isEmpty()) {
        String trust = s.string(AlertSettings.SMTP_TRUSTSTORE).trim();
        notifiers.add(
            new EmailNotifier(
                s.string(AlertSettings.SMTP_HOST),
                s.integer(AlertSettings.SMTP_PORT),
                EmailNotifier.StartTls.valueOf(
                    s.string(AlertSettings.SMTP_STARTTLS).trim().toUpperCase(Locale.ROOT)),
                trust.isEmpty()
                    ? null
                    : Tls.client(
                        Path.of(trust),
                        s.string(AlertSettings.SMTP_TRUSTSTORE_PASSWORD).toCharArray()),
                s.string(AlertSettings.SMTP_USER),
                s.string(AlertSettings.SMTP_PASSWORD),
                s.string(AlertSettings.EMAIL_FROM),
                to));
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("alerts.*: " + e.getMessage());
    }
    String dashboard = dashboardUrl(s, http);
    return new AlertEngine(
            ch,
            db,
            notifiers,
            new AlertEngine.Options(
                Duration.ofMinutes(s.integer(AlertSettings.COOLDOWN_MINUTES)),
                s.integer(AlertSettings.BASELINE_PERCENT),
                s.integer(AlertSettings.MIN_SESSIONS),
                s.integer(AlertSettings.SILENCE_DAYS),
                s.integer(AlertSettings.REJECTED_SPIKE),
                dashboard),
            clock)
        .start(Duration.ofSeconds(s.integerOrZero(AlertSettings.CHECK_SECONDS)));
  }

  /** The base URL alerts link to: alerts.dashboard_url, else serve's HTTP address. */
  public static String dashboardUrl(Settings s, InetSocketAddress http) {
    String dashboard = s.string(AlertSettings.DASHBOARD_URL).trim();
    if (!dashboard.isEmpty() || http == null) {
      return dashboard;
    }
    return "http://"
        + (http.getAddress().isAnyLocalAddress() ? "127.0.0.1" : http.getAddress().getHostAddress())
        + ":"
        + http.getPort()
        + "/";
  }
}

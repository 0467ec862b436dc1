package org.tlsrpt.alerting;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.ingest.tls.Tls;
import org.tlsrpt.storage.engine.ClickHouse;

/** Builds the alert engine and its channels from the settings. */
public final class Alerting {
  private Alerting() {}

  /**
   * Builds the channels, then starts the engine, its scheduled rules running while this process
   * holds {@code lease} ({@link JobLease#SOLE} when it is alone).
   *
   * @param http where serve's HTTP server listens (for the default dashboard link), or null
   * @throws ConfigurationException when the SMTP trust store cannot be read
   */
  public static AlertEngine create(
      AlertSettings settings,
      ClickHouse ch,
      String db,
      InetSocketAddress http,
      Clock clock,
      JobLease lease) {
    List<Notifier> notifiers = new ArrayList<>();
    if (settings.webhookUrl() != null) {
      notifiers.add(new WebhookNotifier(settings.webhookUrl(), settings.webhookFormat()));
    }
    AlertSettings.Email e = settings.email();
    if (e != null) {
      notifiers.add(
          new EmailNotifier(
              e.smtpHost(),
              e.smtpPort(),
              e.startTls(),
              trust(e),
              e.user(),
              e.password().value(),
              e.from(),
              e.to()));
    }
    return new AlertEngine(
            ch,
            db,
            notifiers,
            new AlertOptions(
                settings.cooldown(),
                settings.baselinePercent(),
                settings.minSessions(),
                settings.silenceDays(),
                settings.rejectedSpike(),
                settings.dashboardLink(http)),
            clock)
        .start(settings.checkEvery(), lease);
  }

  private static SSLContext trust(AlertSettings.Email e) {
    if (e.trustStore() == null) {
      return null;
    }
    try {
      return Tls.client(e.trustStore(), e.trustStorePassword().chars());
    } catch (IllegalArgumentException x) {
      throw new ConfigurationException(AlertSettings.SMTP_TRUSTSTORE.key() + ": " + x.getMessage());
    }
  }
}

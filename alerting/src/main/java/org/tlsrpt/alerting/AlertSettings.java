package org.tlsrpt.alerting;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.tlsrpt.config.Secret;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;

/**
 * Settings of the in-app alerting of {@code tlsrpt serve} and {@code tlsrpt worker} ({@code
 * alerts.*}), read once at start-up by {@link #from}.
 *
 * @param webhookUrl where alerts are POSTed, or null for no webhook
 * @param webhookFormat {@code json} or {@code slack}
 * @param email the e-mail channel, or null when {@code alerts.email_to} is empty
 * @param dashboardUrl base URL alerts link to; empty for serve's HTTP address ({@link
 *     #dashboardLink})
 * @param checkEvery how often the scheduled rules run; zero turns them off
 */
public record AlertSettings(
    URI webhookUrl,
    String webhookFormat,
    Email email,
    String dashboardUrl,
    Duration cooldown,
    Duration checkEvery,
    int baselinePercent,
    int minSessions,
    int silenceDays,
    int rejectedSpike) {

  /**
   * The e-mail channel.
   *
   * @param to comma-separated addresses
   * @param trustStore trust store for the SMTP server's certificate, or null for the JDK's
   * @param user SMTP login; empty sends without authentication
   */
  public record Email(
      String to,
      String from,
      String smtpHost,
      int smtpPort,
      EmailNotifier.StartTls startTls,
      Path trustStore,
      Secret trustStorePassword,
      String user,
      Secret password) {}

  public static final Setting WEBHOOK_URL =
      new Setting(
          "alerts.webhook_url",
          "",
          "URL alerts are POSTed to (http or https); empty sends none by webhook.");
  public static final Setting WEBHOOK_FORMAT =
      new Setting(
          "alerts.webhook_format",
          "json",
          "json: a JSON object with every field of the alert; slack: a Slack-compatible body"
              + " ({\"text\": ...}) for Slack, Mattermost or Rocket.Chat incoming webhooks.");
  public static final Setting EMAIL_TO =
      new Setting(
          "alerts.email_to",
          "",
          "Comma-separated addresses alerts are mailed to; empty mails none.");
  public static final Setting EMAIL_FROM =
      new Setting("alerts.email_from", "tlsrpt@localhost", "Sender address of alert e-mails.");
  public static final Setting SMTP_HOST =
      new Setting("alerts.smtp_host", "localhost", "SMTP server (submission) alert e-mails go to.");
  public static final Setting SMTP_PORT = new Setting("alerts.smtp_port", "587", "Its port.");
  public static final Setting SMTP_STARTTLS =
      new Setting(
          "alerts.smtp_starttls",
          "required",
          "required: STARTTLS or no mail; optional: when offered; off: never (loopback only).");
  public static final Setting SMTP_USER =
      new Setting("alerts.smtp_user", "", "SMTP login; empty sends without authentication.");
  public static final Setting SMTP_PASSWORD =
      new Setting("alerts.smtp_password", "", "SMTP password.");
  public static final Setting SMTP_TRUSTSTORE =
      new Setting(
          "alerts.smtp_truststore",
          "",
          "PKCS12 or JKS trust store for the SMTP server's certificate; empty uses the JDK's.");
  public static final Setting SMTP_TRUSTSTORE_PASSWORD =
      new Setting("alerts.smtp_truststore_password", "", "Password of alerts.smtp_truststore.");
  public static final Setting DASHBOARD_URL =
      new Setting(
          "alerts.dashboard_url",
          "",
          "Base URL of the dashboard that alerts link to (e.g. https://tlsrpt.example.com/); empty"
              + " uses http.listen.");
  public static final Setting COOLDOWN_MINUTES =
      new Setting(
          "alerts.cooldown_minutes",
          "360",
          "An alert for the same (rule, policy domain, sending organization, result type) is not"
              + " sent again within this time; remembered across restarts.");
  public static final Setting CHECK_SECONDS =
      new Setting(
          "alerts.check_seconds",
          "300",
          "How often the scheduled rules run (failure rate above baseline, silent reporters,"
              + " rejected spike, enforce-mode failures not yet alerted); 0 turns them off.");
  public static final Setting BASELINE_PERCENT =
      new Setting(
          "alerts.baseline_percent",
          "200",
          "A domain's failure rate today (UTC) alerts when it is at least this percentage of its"
              + " rate over the 7 days before, and at least 1 point higher.");
  public static final Setting MIN_SESSIONS =
      new Setting(
          "alerts.min_sessions",
          "100",
          "Sessions a domain needs today for the failure-rate rule to judge it.");
  public static final Setting SILENCE_DAYS =
      new Setting(
          "alerts.silence_days",
          "2",
          "A reporter that sent reports on at least 5 of the 7 days before goes silent after this"
              + " many days without one.");
  public static final Setting REJECTED_SPIKE =
      new Setting(
          "alerts.rejected_spike",
          "10",
          "Rejected inputs in the last hour that alert, when also more than three times the"
              + " hourly average of the 24 hours before.");

  public static final List<Setting> ALL =
      List.of(
          WEBHOOK_URL,
          WEBHOOK_FORMAT,
          EMAIL_TO,
          EMAIL_FROM,
          SMTP_HOST,
          SMTP_PORT,
          SMTP_STARTTLS,
          SMTP_USER,
          SMTP_PASSWORD,
          SMTP_TRUSTSTORE,
          SMTP_TRUSTSTORE_PASSWORD,
          DASHBOARD_URL,
          COOLDOWN_MINUTES,
          CHECK_SECONDS,
          BASELINE_PERCENT,
          MIN_SESSIONS,
          SILENCE_DAYS,
          REJECTED_SPIKE);

  /**
   * Reads and checks every {@code alerts.*} key.
   *
   * @throws org.tlsrpt.config.ConfigurationException naming the key of a value that is not valid
   */
  public static AlertSettings from(Settings s) {
    String to = s.string(EMAIL_TO).trim();
    return new AlertSettings(
        webhookUrl(s),
        webhookFormat(s),
        to.isEmpty() ? null : email(s, to),
        s.string(DASHBOARD_URL).trim(),
        Duration.ofMinutes(s.integer(COOLDOWN_MINUTES)),
        Duration.ofSeconds(s.integerOrZero(CHECK_SECONDS)),
        s.integer(BASELINE_PERCENT),
        s.integer(MIN_SESSIONS),
        s.integer(SILENCE_DAYS),
        s.integer(REJECTED_SPIKE));
  }

  /** The base URL alerts link to: alerts.dashboard_url, else serve's HTTP address (or null). */
  public String dashboardLink(InetSocketAddress http) {
    if (!dashboardUrl.isEmpty() || http == null) {
      return dashboardUrl;
    }
    return "http://"
        + (http.getAddress().isAnyLocalAddress() ? "127.0.0.1" : http.getAddress().getHostAddress())
        + ":"
        + http.getPort()
        + "/";
  }

  private static URI webhookUrl(Settings s) {
    String url = s.string(WEBHOOK_URL).trim();
    if (url.isEmpty()) {
      return null;
    }
    try {
      URI u = URI.create(url);
      if ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) {
        return u;
      }
    } catch (IllegalArgumentException e) {
      // said below
    }
    throw s.invalid(WEBHOOK_URL, "an http or https URL");
  }

  private static String webhookFormat(Settings s) {
    String format = s.string(WEBHOOK_FORMAT).trim().toLowerCase(Locale.ROOT);
    if (!format.equals("json") && !format.equals("slack")) {
      throw s.invalid(WEBHOOK_FORMAT, "json or slack");
    }
    return format;
  }

  private static Email email(Settings s, String to) {
    EmailNotifier.StartTls startTls;
    try {
      startTls =
          EmailNotifier.StartTls.valueOf(s.string(SMTP_STARTTLS).trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw s.invalid(SMTP_STARTTLS, "required, optional or off");
    }
    String trust = s.string(SMTP_TRUSTSTORE).trim();
    return new Email(
        to,
        s.string(EMAIL_FROM),
        s.string(SMTP_HOST),
        s.port(SMTP_PORT),
        startTls,
        trust.isEmpty() ? null : Path.of(trust),
        s.secret(SMTP_TRUSTSTORE_PASSWORD),
        s.string(SMTP_USER),
        s.secret(SMTP_PASSWORD));
  }
}

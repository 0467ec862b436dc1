package org.tlsrpt.posture;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;

/** Settings of the posture check ({@code tlsrpt check}), each overridable on its command line. */
public final class CheckSettings {
  private CheckSettings() {}

  public static final Setting DNS_SERVER =
      new Setting(
          "check.dns_server",
          "system",
          "DNS server the check asks, as host:port ([IPv6]:port), or 'system' for the system's"
              + " resolvers.");
  public static final Setting HTTPS_PORT =
      new Setting("check.https_port", "443", "Port of the policy host mta-sts.DOMAIN.");
  public static final Setting SMTP_PORT =
      new Setting("check.smtp_port", "25", "Port of the MX hosts.");
  public static final Setting TRUSTSTORE =
      new Setting(
          "check.truststore",
          "",
          "PKCS12 or JKS trust store for the policy host and MX certificates; empty uses the JDK's.");
  public static final Setting TRUSTSTORE_PASSWORD =
      new Setting("check.truststore_password", "", "Password of check.truststore.");
  public static final Setting TIMEOUT_SECONDS =
      new Setting(
          "check.timeout_seconds",
          "10",
          "Limit for each DNS query, and for each whole policy fetch or SMTP dialogue.");
  public static final Setting EHLO_NAME =
      new Setting("check.ehlo_name", "localhost", "Name sent in EHLO to the MX hosts.");
  public static final Setting EXPIRY_WARN_DAYS =
      new Setting(
          "check.expiry_warn_days",
          "14",
          "A certificate with fewer days left than this is a warning; an expired one a failure.");
  public static final Setting MAX_POLICY_BYTES =
      new Setting("check.max_policy_bytes", "65536", "Largest policy file read.");

  public static final Setting DOMAINS =
      new Setting(
          "check.domains",
          "",
          "Comma-separated domains tlsrpt serve (or worker) checks on a schedule, storing the"
              + " results and alerting on changes; empty watches none.");
  public static final Setting INTERVAL_MINUTES =
      new Setting(
          "check.interval_minutes", "360", "How often the domains of check.domains are checked.");

  public static final List<Setting> ALL =
      List.of(
          DOMAINS,
          INTERVAL_MINUTES,
          DNS_SERVER,
          HTTPS_PORT,
          SMTP_PORT,
          TRUSTSTORE,
          TRUSTSTORE_PASSWORD,
          TIMEOUT_SECONDS,
          EHLO_NAME,
          EXPIRY_WARN_DAYS,
          MAX_POLICY_BYTES);

  /**
   * The options from the settings.
   *
   * @throws ConfigurationException naming the key when a value is not valid
   */
  public static CheckOptions options(Settings s, Clock clock) {
    String store = s.string(TRUSTSTORE).strip();
    int warnDays = s.string(EXPIRY_WARN_DAYS).strip().equals("0") ? 0 : s.integer(EXPIRY_WARN_DAYS);
    try {
      return new CheckOptions(
          s.string(DNS_SERVER),
          port(s, HTTPS_PORT),
          port(s, SMTP_PORT),
          store.isEmpty() ? null : Path.of(store),
          s.string(TRUSTSTORE_PASSWORD),
          Duration.ofSeconds(s.integer(TIMEOUT_SECONDS)),
          s.string(EHLO_NAME).strip(),
          warnDays,
          clock,
          s.bytes(MAX_POLICY_BYTES));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("check settings: " + e.getMessage());
    }
  }

  private static int port(Settings s, Setting key) {
    int p = s.integer(key);
    if (p > 65535) {
      throw new ConfigurationException(
          "setting " + key.key() + " (" + key.environmentVariable() + ") must be a port 1..65535");
    }
    return p;
  }
}

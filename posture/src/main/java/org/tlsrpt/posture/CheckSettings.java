package org.tlsrpt.posture;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Secret;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;

/**
 * Settings of the posture check ({@code check.*}): those of {@code tlsrpt check}, each overridable
 * on its command line, and the domains serve and worker watch. Read once at start-up by {@link
 * #from}.
 *
 * @param domains the domains watched on a schedule; empty watches none
 * @param interval how often the watched domains are checked
 * @param trustStore trust store for the policy host and MX certificates, or null for the JDK's
 */
public record CheckSettings(
    List<String> domains,
    Duration interval,
    String dnsServer,
    int httpsPort,
    int smtpPort,
    Path trustStore,
    Secret trustStorePassword,
    Duration timeout,
    String ehloName,
    int expiryWarnDays,
    long maxPolicyBytes) {

  public CheckSettings {
    domains = List.copyOf(domains);
  }

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
   * Reads and checks every {@code check.*} key.
   *
   * @throws ConfigurationException naming the key of a value that is not valid
   */
  public static CheckSettings from(Settings s) {
    String store = s.string(TRUSTSTORE).strip();
    return new CheckSettings(
        s.list(DOMAINS),
        Duration.ofMinutes(s.integer(INTERVAL_MINUTES)),
        s.string(DNS_SERVER),
        s.port(HTTPS_PORT),
        s.port(SMTP_PORT),
        store.isEmpty() ? null : Path.of(store),
        s.secret(TRUSTSTORE_PASSWORD),
        Duration.ofSeconds(s.integer(TIMEOUT_SECONDS)),
        s.string(EHLO_NAME).strip(),
        s.integerOrZero(EXPIRY_WARN_DAYS),
        s.bytes(MAX_POLICY_BYTES));
  }

  /**
   * The options of a check run at {@code clock}'s time.
   *
   * @throws ConfigurationException when they do not make a valid check (e.g. a DNS server that is
   *     not host:port or cannot be resolved)
   */
  public CheckOptions options(Clock clock) {
    try {
      return new CheckOptions(
          dnsServer,
          httpsPort,
          smtpPort,
          trustStore,
          trustStorePassword.value(),
          timeout,
          ehloName,
          expiryWarnDays,
          clock,
          maxPolicyBytes);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("check settings: " + e.getMessage());
    }
  }
}

package org.tlsrpt.app.config;

import java.time.Duration;
import java.util.List;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.DkimMode;
import org.tlsrpt.ingest.dkim.DkimSettings;

/**
 * The DKIM check of report e-mails ({@code dkim.*}).
 *
 * @param lookup how keys are looked up, or null when the mode is off
 */
public record DkimCheckSettings(DkimMode mode, DkimSettings lookup) {
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

  /** The keys read by {@link #from}, in the order the documentation lists them. */
  public static final List<Setting> ALL =
      List.of(DKIM_MODE, DKIM_DNS_SERVER, DKIM_TIMEOUT_SECONDS, DKIM_MAX_SIGNATURES);

  static DkimCheckSettings from(Settings s) {
    DkimMode mode;
    try {
      mode = DkimMode.parse(s.string(DKIM_MODE));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          DKIM_MODE.key() + " (" + DKIM_MODE.environmentVariable() + "): " + e.getMessage());
    }
    if (mode == DkimMode.OFF) {
      return new DkimCheckSettings(mode, null);
    }
    try {
      return new DkimCheckSettings(
          mode,
          new DkimSettings(
              s.string(DKIM_DNS_SERVER).trim(),
              Duration.ofSeconds(s.integer(DKIM_TIMEOUT_SECONDS)),
              s.integer(DKIM_MAX_SIGNATURES)));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "dkim.dns_server / dkim.timeout_seconds / dkim.max_signatures: " + e.getMessage());
    }
  }
}

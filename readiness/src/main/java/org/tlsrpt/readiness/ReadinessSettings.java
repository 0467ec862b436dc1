package org.tlsrpt.readiness;

import java.math.BigDecimal;
import java.util.List;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;

/**
 * The thresholds of the enforce readiness verdict ({@code readiness.*}), read once at start-up by
 * {@link #from}. The defaults are argued in docs/adr/0016-enforce-readiness-verdict.md.
 *
 * @param maxFailurePercent the share of a domain's sessions, in percent, that one sending
 *     organization, MX host and result type (or all failures together) may fail and the domain
 *     still be ready
 * @param minDays days with reports a verdict of ready needs
 * @param minSessions sessions a verdict of ready needs
 * @param minReporters sending organizations still reporting that a verdict of ready needs
 * @param silentAfterDays a reporter whose newest report is older than this many days is silent
 */
public record ReadinessSettings(
    BigDecimal maxFailurePercent,
    int minDays,
    int minSessions,
    int minReporters,
    int silentAfterDays) {

  public static final Setting MAX_FAILURE_PERCENT =
      new Setting(
          "readiness.max_failure_percent",
          "0.1",
          "The share of a testing domain's sessions (percent, decimals allowed) that one sending"
              + " organization, MX host and result type, or all failures together, may fail for"
              + " the domain to be ready for enforce; above it on an enforce domain, going back to"
              + " testing would have been warranted.");
  public static final Setting MIN_DAYS =
      new Setting(
          "readiness.min_days",
          "14",
          "Days with reports in the window a domain needs before it can be judged ready.");
  public static final Setting MIN_SESSIONS =
      new Setting(
          "readiness.min_sessions",
          "1000",
          "Sessions reported in the window a domain needs before it can be judged ready.");
  public static final Setting MIN_REPORTERS =
      new Setting(
          "readiness.min_reporters",
          "2",
          "Sending organizations still reporting on a domain that it needs before it can be judged"
              + " ready.");
  public static final Setting SILENT_AFTER_DAYS =
      new Setting(
          "readiness.silent_after_days",
          "3",
          "A reporter whose newest report on a domain is older than this many days has gone"
              + " silent: a testing domain with a silent reporter is not ready.");

  public static final List<Setting> ALL =
      List.of(MAX_FAILURE_PERCENT, MIN_DAYS, MIN_SESSIONS, MIN_REPORTERS, SILENT_AFTER_DAYS);

  public ReadinessSettings {
    if (maxFailurePercent.signum() < 0
        || maxFailurePercent.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException("maxFailurePercent must be from 0 to 100");
    }
  }

  /** The defaults, as documented. */
  public static ReadinessSettings defaults() {
    return from(Settings.defaults());
  }

  /**
   * Reads and checks the settings.
   *
   * @throws org.tlsrpt.config.ConfigurationException naming the key of a value that is not valid
   */
  public static ReadinessSettings from(Settings s) {
    String raw = s.string(MAX_FAILURE_PERCENT).trim();
    BigDecimal max;
    try {
      max = new BigDecimal(raw);
    } catch (NumberFormatException e) {
      throw s.invalid(MAX_FAILURE_PERCENT, "a percentage from 0 to 100 such as 0.1");
    }
    if (max.signum() < 0 || max.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw s.invalid(MAX_FAILURE_PERCENT, "a percentage from 0 to 100 such as 0.1");
    }
    return new ReadinessSettings(
        max,
        s.integer(MIN_DAYS),
        s.integer(MIN_SESSIONS),
        s.integer(MIN_REPORTERS),
        s.integer(SILENT_AFTER_DAYS));
  }

  /** Whether {@code part} of {@code whole} sessions is above the share allowed. */
  boolean above(long part, long whole) {
    return whole > 0
        && BigDecimal.valueOf(part)
                .multiply(BigDecimal.valueOf(100))
                .compareTo(maxFailurePercent.multiply(BigDecimal.valueOf(whole)))
            > 0;
  }

  /** The share allowed, for people: "0.1%". */
  String maxShare() {
    return maxFailurePercent.stripTrailingZeros().toPlainString() + "%";
  }
}

package org.tlsrpt.posture.dane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;

/**
 * Settings of the DANE part of the posture check ({@code tlsrpt check} and the watch).
 *
 * @param enabled whether DNSSEC and TLSA are checked at all
 * @param trustAnchor file of DS or DNSKEY records (zone-file form) to validate from; null uses the
 *     root zone's keys built into tlsrpt
 * @param signatureWarnDays an RRSIG expiring within this many days is a warning
 */
public record DaneSettings(boolean enabled, Path trustAnchor, int signatureWarnDays) {

  public static final Setting ENABLED =
      new Setting(
          "check.dane",
          "true",
          "Check DNSSEC and DANE (TLSA records against each MX's certificate chain); false reports"
              + " them as not checked.");
  public static final Setting TRUST_ANCHOR =
      new Setting(
          "check.dnssec_trust_anchor",
          "",
          "File of DS or DNSKEY records (zone-file form) that DNSSEC validation starts from; empty"
              + " uses the root zone's keys (KSK-2017 and KSK-2024) built into tlsrpt.");
  public static final Setting SIGNATURE_WARN_DAYS =
      new Setting(
          "check.dnssec_signature_warn_days",
          "2",
          "A DNSSEC signature (RRSIG) of the MX, address or TLSA records, or of their zones' keys,"
              + " expiring within this many days is a warning.");

  public static final List<Setting> ALL = List.of(ENABLED, TRUST_ANCHOR, SIGNATURE_WARN_DAYS);

  public DaneSettings {
    if (signatureWarnDays < 0) {
      throw new IllegalArgumentException(
          "signatureWarnDays must be 0 or more, not " + signatureWarnDays);
    }
  }

  /** Checked, from the root's keys, warning 2 days before a signature expires. */
  public static DaneSettings defaults() {
    return new DaneSettings(true, null, 2);
  }

  /**
   * The settings, validated.
   *
   * @throws ConfigurationException naming the key when a value is not valid
   */
  public static DaneSettings from(Settings s) {
    String anchor = s.string(TRUST_ANCHOR).strip();
    Path file = anchor.isEmpty() ? null : Path.of(anchor);
    if (file != null && !Files.isReadable(file)) {
      throw new ConfigurationException(
          "setting "
              + TRUST_ANCHOR.key()
              + " ("
              + TRUST_ANCHOR.environmentVariable()
              + ") names '"
              + anchor
              + "', which is not a readable file of DS or DNSKEY records");
    }
    if (file != null) {
      try {
        DnssecResolver.anchorNames(Files.readAllBytes(file), file);
      } catch (java.io.IOException | IllegalArgumentException e) {
        throw new ConfigurationException(
            "setting "
                + TRUST_ANCHOR.key()
                + " ("
                + TRUST_ANCHOR.environmentVariable()
                + "): "
                + e.getMessage());
      }
    }
    return new DaneSettings(s.bool(ENABLED), file, s.integerOrZero(SIGNATURE_WARN_DAYS));
  }
}

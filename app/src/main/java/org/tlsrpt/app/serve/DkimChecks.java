package org.tlsrpt.app.serve;

import java.time.Duration;
import org.tlsrpt.app.config.ServeSettings;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.DkimCheck;
import org.tlsrpt.ingest.dkim.DkimSettings;
import org.tlsrpt.ingest.dkim.JdkimCheck;

/** Makes the DKIM verifier the settings ask for. */
final class DkimChecks {
  private DkimChecks() {}

  static DkimCheck create(Settings s) {
    try {
      return new JdkimCheck(
          new DkimSettings(
              s.string(ServeSettings.DKIM_DNS_SERVER).trim(),
              Duration.ofSeconds(s.integer(ServeSettings.DKIM_TIMEOUT_SECONDS)),
              s.integer(ServeSettings.DKIM_MAX_SIGNATURES)));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "dkim.dns_server / dkim.timeout_seconds / dkim.max_signatures: " + e.getMessage());
    }
  }
}

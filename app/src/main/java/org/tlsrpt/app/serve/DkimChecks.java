package org.tlsrpt.app.serve;

import org.tlsrpt.app.config.ConfigurationException;
import org.tlsrpt.app.config.Settings;
import org.tlsrpt.ingest.DkimCheck;

/** Makes the DKIM verifier the settings ask for. */
final class DkimChecks {
  private DkimChecks() {}

  static DkimCheck create(Settings s) {
    throw new ConfigurationException(
        "DKIM verification is not available in this build yet: set dkim.mode=off"
            + " (TLSRPT_DKIM_MODE=off) to run without it");
  }
}

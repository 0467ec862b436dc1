package org.tlsrpt.app.serve;

import org.tlsrpt.app.config.DkimCheckSettings;
import org.tlsrpt.ingest.DkimCheck;
import org.tlsrpt.ingest.dkim.JdkimCheck;

/** Makes the DKIM verifier the settings ask for. */
final class DkimChecks {
  private DkimChecks() {}

  /** The verifier, or null when the DKIM mode is off. */
  static DkimCheck create(DkimCheckSettings dkim) {
    return dkim.lookup() == null ? null : new JdkimCheck(dkim.lookup());
  }
}

package org.tlsrpt.ingest.dkim;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a signing domain (d=) speaks for a report: it must be one of the reporting domains or a
 * parent domain of one (RFC 8460 §3, "signed by the reporting domain"), and have at least two
 * labels, so that no top-level domain aligns with everything under it.
 */
final class DomainAlignment {
  private DomainAlignment() {}

  /**
   * @param signingDomain d=, any case, with or without a final dot
   * @param reportingDomains lower case, as {@link org.tlsrpt.ingest.DkimCheck} receives them
   */
  static boolean aligned(String signingDomain, Set<String> reportingDomains) {
    String d = normal(signingDomain);
    if (d == null || d.indexOf('.') <= 0 || d.endsWith(".")) {
      return false;
    }
    for (String r : reportingDomains) {
      String reporting = normal(r);
      if (reporting != null && (reporting.equals(d) || reporting.endsWith("." + d))) {
        return true;
      }
    }
    return false;
  }

  private static String normal(String domain) {
    if (domain == null) {
      return null;
    }
    String s = domain.strip().toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}

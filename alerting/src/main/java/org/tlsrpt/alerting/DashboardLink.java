package org.tlsrpt.alerting;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Where an alert points: the dashboard, filtered to its policy domain and organization. */
record DashboardLink(String base) {

  /** The dashboard filtered by {@code domain} and {@code org}, each left out when null or empty. */
  String to(String domain, String org) {
    StringBuilder b = new StringBuilder(base);
    String sep = "?";
    if (domain != null && !domain.isEmpty()) {
      b.append(sep).append("domain=").append(URLEncoder.encode(domain, StandardCharsets.UTF_8));
      sep = "&";
    }
    if (org != null && !org.isEmpty()) {
      b.append(sep).append("org=").append(URLEncoder.encode(org, StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  /**
   * The dashboard filtered by {@code domain} and {@code org}, at the readiness section, which opens
   * the domain's readiness detail (its verdict, the mail refused, whether testing was warranted).
   */
  String readiness(String domain, String org) {
    return to(domain, org) + "#readiness";
  }

  /** A section of the dashboard, e.g. {@code #rejected}. */
  String section(String anchor) {
    return base + anchor;
  }
}

package org.tlsrpt.readiness;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the dashboard shows a domain's readiness and its alerts, relative to the dashboard's base
 * URL: the page filtered to the domain, at the section's anchor. The enforce alert links to the
 * first; an enforce domain's readiness links to the second.
 */
public final class Links {
  private Links() {}

  /** The readiness detail of {@code domain}: {@code ?domain=D#readiness}. */
  public static String detail(String domain) {
    return "?domain=" + URLEncoder.encode(domain, StandardCharsets.UTF_8) + "#readiness";
  }

  /** The alert history of {@code domain}: {@code ?domain=D#alerts}. */
  public static String alerts(String domain) {
    return "?domain=" + URLEncoder.encode(domain, StandardCharsets.UTF_8) + "#alerts";
  }
}

package org.tlsrpt.alerting;

import org.tlsrpt.storage.Alert;

/** The human text of an alert, shared by the Slack body and the e-mail. */
final class AlertText {
  private AlertText() {}

  static String subject(Alert a) {
    return "[tlsrpt] " + a.message();
  }

  static String plain(Alert a) {
    StringBuilder b = new StringBuilder(a.message()).append('\n');
    line(b, "Policy domain", a.policyDomain());
    line(b, "Sending organization", a.organization());
    line(b, "Policy mode", a.mode());
    if (a.failedSessions() > 0) {
      line(b, "Failed sessions", Long.toString(a.failedSessions()));
    }
    line(b, "Result types", String.join(", ", a.resultTypes()));
    line(b, "MX hosts", String.join(", ", a.mxHosts()));
    line(b, "Window", a.windowStart() + " to " + a.windowEnd());
    line(b, "Dashboard", a.link());
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String value) {
    if (value != null && !value.isBlank()) {
      b.append(label).append(": ").append(value).append('\n');
    }
  }
}

package org.tlsrpt.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;

/** {@code tlsrpt readiness} as text: a line per domain, then its reasons and what to do. */
final class ReadinessTable {
  private ReadinessTable() {}

  static void print(PrintWriter out, JsonNode answer) {
    JsonNode rows = answer.path("rows");
    if (rows.isEmpty()) {
      out.println(
          "no policy domain reported under an MTA-STS policy in testing or enforce mode since "
              + answer.path("since").asText());
      return;
    }
    int w = "policy domain".length();
    for (JsonNode r : rows) {
      w = Math.max(w, r.path("domain").asText().length());
    }
    String line = "%-" + w + "s  %-8s %-22s %10s %8s %7s  %s%n";
    out.printf(line, "policy domain", "mode", "verdict", "sessions", "failed", "share", "trend");
    for (JsonNode r : rows) {
      out.printf(
          line,
          r.path("domain").asText(),
          r.path("mode").asText(),
          r.path("verdict_text").asText(),
          String.format(Locale.ROOT, "%,d", r.path("sessions").asLong()),
          String.format(Locale.ROOT, "%,d", r.path("failed_sessions").asLong()),
          r.path("failure_rate").isNull()
              ? "-"
              : String.format(Locale.ROOT, "%.2f%%", 100 * r.path("failure_rate").asDouble()),
          r.path("trend").asText());
    }
    for (JsonNode r : rows) {
      out.println();
      out.println(r.path("summary").asText());
      for (JsonNode reason : r.path("reasons")) {
        out.println("  - " + reason.path("text").asText());
        out.println("    what to do: " + reason.path("remedy").asText());
      }
      for (JsonNode note : r.path("notes")) {
        out.println("  note: " + note.asText());
      }
      if (r.path("mode").asText().equals("enforce")) {
        out.println("  alerts: " + r.path("links").path("alerts").asText() + " (dashboard)");
      }
    }
  }
}

package org.tlsrpt.posture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link CheckResult} as a readable table or as one JSON object. */
public final class CheckResultWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private CheckResultWriter() {}

  /**
   * One line per finding: verdict, id, subject, message, and under it what to do. Columns are as
   * wide as their longest value.
   */
  public static void table(CheckResult r, PrintWriter out) {
    out.printf(
        "%s: %s (%d ok, %d warn, %d fail, %d not checked; checked %s)%n",
        r.domain(),
        r.status().name(),
        r.count(Status.OK),
        r.count(Status.WARN),
        r.count(Status.FAIL),
        r.count(Status.NOT_CHECKED),
        r.checkedAt());
    int idWidth = r.findings().stream().mapToInt(f -> f.id().length()).max().orElse(2);
    int subjectWidth =
        Math.min(40, r.findings().stream().mapToInt(f -> f.subject().length()).max().orElse(7));
    String indent = " ".repeat(2 + 5 + 1 + idWidth + 2 + subjectWidth + 2);
    for (Finding f : r.findings()) {
      out.printf(
          "  %-5s %-" + idWidth + "s  %-" + subjectWidth + "s  %s%n",
          shortLabel(f.status()),
          f.id(),
          f.subject(),
          f.message());
      if (!f.remedy().isEmpty()) {
        out.println(indent + "what to do: " + f.remedy());
      }
    }
  }

  private static String shortLabel(Status s) {
    return switch (s) {
      case OK -> "ok";
      case WARN -> "WARN";
      case FAIL -> "FAIL";
      case NOT_CHECKED -> "-";
    };
  }

  /**
   * {@code {"domain", "checked_at", "status", "findings": [{"id", "status", "subject", "message",
   * "remedy", "facts": {...}}]}}; statuses are ok, warn, fail (and not_checked for a finding).
   */
  public static String json(CheckResult r) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("domain", r.domain());
      g.writeStringField("checked_at", r.checkedAt().toString());
      g.writeStringField("status", r.status().name().toLowerCase(Locale.ROOT));
      g.writeArrayFieldStart("findings");
      for (Finding f : r.findings()) {
        g.writeStartObject();
        g.writeStringField("id", f.id());
        g.writeStringField("status", f.status().label());
        g.writeStringField("subject", f.subject());
        g.writeStringField("message", f.message());
        g.writeStringField("remedy", f.remedy());
        g.writeObjectFieldStart("facts");
        for (Map.Entry<String, String> e : f.facts().entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}

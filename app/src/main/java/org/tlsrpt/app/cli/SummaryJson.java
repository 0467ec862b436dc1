package org.tlsrpt.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.tlsrpt.storage.Summaries;

/** The summary as JSON, one shape for {@code tlsrpt summary --format json} and the HTTP API. */
public final class SummaryJson {
  private SummaryJson() {}

  /** The JSON of {@code tlsrpt summary --format json}, also served as {@code GET /api/summary}. */
  public static String render(Summaries.Summary s) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeNumberField("reports", s.reports());
      g.writeNumberField("successful_sessions", s.successful());
      g.writeNumberField("failed_sessions", s.failed());
      g.writeArrayFieldStart("rows");
      for (Summaries.Row r : s.rows()) {
        g.writeStartObject();
        g.writeStringField("key", r.key());
        g.writeStringField("modes", r.modes());
        g.writeNumberField("reports", r.reports());
        if (r.successful() == null) {
          g.writeNullField("successful_sessions");
        } else {
          g.writeNumberField("successful_sessions", r.successful());
        }
        g.writeNumberField("failed_sessions", r.failed());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }
}

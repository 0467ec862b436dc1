package org.tlsrpt.app.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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

  /** Reads back what {@link #render} wrote (the answer of {@code GET /api/summary}). */
  public static Summaries.Summary parse(String json) {
    try {
      com.fasterxml.jackson.databind.JsonNode n =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
      List<Summaries.Row> rows = new ArrayList<>();
      for (com.fasterxml.jackson.databind.JsonNode r : n.path("rows")) {
        rows.add(
            new Summaries.Row(
                r.path("key").asText(),
                r.path("modes").asText(),
                r.path("reports").asLong(),
                r.path("successful_sessions").isNull()
                    ? null
                    : r.path("successful_sessions").asLong(),
                r.path("failed_sessions").asLong()));
      }
      return new Summaries.Summary(
          n.path("reports").asLong(),
          n.path("successful_sessions").asLong(),
          n.path("failed_sessions").asLong(),
          rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package org.tlsrpt.app.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tlsrpt.ingest.SourceHealth;

/**
 * {@code /health} (readiness) and {@code /health/live} (liveness) of serve and worker.
 *
 * <p>{@code /health/live} answers 200 while the process answers at all. {@code /health} lists every
 * configured source with its state, last error and since when it fails, and answers 503 when
 * storage or the pipeline fails (at once, as they take every input) or when a source that reaches
 * out (an IMAP mailbox, the spool's loading) has failed for {@code failingAfter} or longer;
 * otherwise 200, with status {@code ok}, or {@code degraded} while a source fails for less.
 */
final class HealthPage {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One line of {@code /health}.
   *
   * @param kind storage, pipeline, spool, imap
   * @param name what it is (a mailbox), or null
   * @param immediate whether its failure makes the process unready at once
   * @param figures numbers shown beside it (backlog_bytes), read when asked
   */
  record Source(
      String kind,
      String name,
      boolean immediate,
      Supplier<SourceHealth> health,
      Supplier<Map<String, Long>> figures) {
    Source(String kind, String name, boolean immediate, Supplier<SourceHealth> health) {
      this(kind, name, immediate, health, Map::of);
    }
  }

  private final List<Source> sources;
  private final Duration failingAfter;
  private final Clock clock;

  HealthPage(List<Source> sources, Duration failingAfter, Clock clock) {
    this.sources = List.copyOf(sources);
    this.failingAfter = failingAfter;
    this.clock = clock;
  }

  /** What a check that either works or throws (or names a problem) has been doing, over calls. */
  static final class Probe implements Supplier<SourceHealth> {
    private final Supplier<String> check;
    private final Clock clock;
    private SourceHealth last = SourceHealth.starting();

    /**
     * @param check null when fine, else what is wrong; an exception counts as its message
     */
    Probe(Supplier<String> check, Clock clock) {
      this.check = check;
      this.clock = clock;
    }

    @Override
    public synchronized SourceHealth get() {
      String problem;
      try {
        problem = check.get();
      } catch (RuntimeException e) {
        problem = String.valueOf(e.getMessage());
      }
      last = problem == null ? last.ok() : last.failed(problem, clock.instant());
      return last;
    }
  }

  void readiness(HttpExchange x) throws IOException {
    try (x) {
      Instant now = clock.instant();
      List<Map.Entry<Source, SourceHealth>> seen = new ArrayList<>();
      boolean unready = false;
      boolean degraded = false;
      for (Source s : sources) {
        SourceHealth h = s.health().get();
        seen.add(Map.entry(s, h));
        if (h.state() == SourceHealth.State.FAILING) {
          degraded = true;
          unready |= s.immediate() || h.failingFor(failingAfter, now);
        }
      }
      String status = unready ? "unavailable" : degraded ? "degraded" : "ok";
      StoreApi.send(x, unready ? 503 : 200, "application/json", render(status, seen));
    }
  }

  void liveness(HttpExchange x) throws IOException {
    try (x) {
      StoreApi.send(x, 200, "application/json", "{\"status\":\"alive\"}\n");
    }
  }

  private String render(String status, List<Map.Entry<Source, SourceHealth>> seen) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("status", status);
      g.writeNumberField("failing_after_seconds", failingAfter.toSeconds());
      String storage = "not used here"; // the field this page had before the list of sources
      for (Map.Entry<Source, SourceHealth> e : seen) {
        if (e.getKey().kind().equals("storage")) {
          storage =
              e.getValue().state() == SourceHealth.State.FAILING ? e.getValue().lastError() : "ok";
        }
      }
      g.writeStringField("storage", storage);
      g.writeArrayFieldStart("sources");
      for (Map.Entry<Source, SourceHealth> e : seen) {
        Source s = e.getKey();
        SourceHealth h = e.getValue();
        g.writeStartObject();
        g.writeStringField("source", s.kind());
        if (s.name() != null) {
          g.writeStringField("name", s.name());
        }
        g.writeStringField("state", h.state().wire());
        if (h.failingSince() != null) {
          g.writeStringField("failing_since", h.failingSince().toString());
        }
        if (h.lastError() != null) {
          g.writeStringField("last_error", h.lastError());
          g.writeStringField("last_error_at", h.lastErrorAt().toString());
        }
        for (Map.Entry<String, Long> f : s.figures().get().entrySet()) {
          g.writeNumberField(f.getKey(), f.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w + "\n";
  }
}

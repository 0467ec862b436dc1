package org.tlsrpt.app.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.web.QueryString;

/**
 * The HTTP answers serve and worker share: the checks of {@code /health} ({@link HealthPage}) and
 * {@code /api/summary} over the store (either may have none: an ingest node in the Kafka pipeline
 * with the embedded engine keeps no store), and the {@code serve.json} file that tells local
 * commands where the owner of an embedded store answers.
 */
final class StoreApi {
  private static final Logger LOG = LoggerFactory.getLogger(StoreApi.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final ClickHouse ch;
  private final Summaries summaries;
  private final String noStore;
  private final Supplier<String> problem;

  /**
   * @param ch the store, or null
   * @param noStore what /api/summary says when there is no store
   * @param problem a check beside storage: null when fine, else what is wrong
   */
  StoreApi(ClickHouse ch, Summaries summaries, String noStore, Supplier<String> problem) {
    this.ch = ch;
    this.summaries = summaries;
    this.noStore = noStore;
    this.problem = problem;
  }

  /**
   * The checks of {@code /health} that fail the process at once: the store (a ping), when this
   * process has one, and the pipeline (or the worker's consumer).
   */
  List<HealthPage.Source> healthSources(Clock clock) {
    List<HealthPage.Source> out = new ArrayList<>();
    if (ch != null) {
      out.add(
          new HealthPage.Source(
              "storage",
              null,
              true,
              new HealthPage.Probe(
                  () -> {
                    ch.ping();
                    return null;
                  },
                  clock)));
    }
    out.add(new HealthPage.Source("pipeline", null, true, new HealthPage.Probe(problem, clock)));
    return out;
  }

  void summary(HttpExchange x) throws IOException {
    try (x) {
      if (summaries == null) {
        error(x, 503, noStore);
        return;
      }
      Map<String, String> q = QueryString.parse(x.getRequestURI());
      LocalDate since;
      try {
        since = Summaries.since(q.getOrDefault("since", "30d"));
      } catch (IllegalArgumentException e) {
        error(x, 400, e.getMessage());
        return;
      }
      Summaries.By by;
      try {
        by = Summaries.By.parse(q.getOrDefault("by", "org"));
      } catch (IllegalArgumentException e) {
        error(x, 400, "by takes org, domain, mx or result");
        return;
      }
      try {
        String json = SummaryJson.render(summaries.summary(since, q.get("domain"), by));
        send(x, 200, "application/json", json + "\n");
      } catch (RuntimeException e) {
        error(x, 503, String.valueOf(e.getMessage()));
      }
    }
  }

  /** Brings the daily summary up to date; logs and carries on when storage fails. */
  void refresh() {
    if (summaries == null) {
      return;
    }
    try {
      summaries.refresh();
    } catch (RuntimeException e) {
      LOG.warn("could not bring the daily summary up to date: {}", e.getMessage());
    }
  }

  private static void error(HttpExchange x, int status, String message) throws IOException {
    send(x, status, "application/json", json(g -> g.writeStringField("error", message)));
  }

  /** The fields {@code fields} writes, as one JSON object on a line. */
  private static String json(Fields fields) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w + "\n";
  }

  @FunctionalInterface
  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  static void send(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  /** The file in an embedded store's data directory that says where its owner's API answers. */
  static final String SERVE_FILE = "serve.json";

  /** Writes {@code serve.json}: this process's PID and the plain-HTTP address of its API. */
  static void announce(Path file, InetSocketAddress a) throws IOException {
    String host =
        a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    String url = "http://" + host + ":" + a.getPort();
    Files.writeString(
        file,
        json(
            g -> {
              g.writeNumberField("pid", ProcessHandle.current().pid());
              g.writeStringField("url", url);
            }));
  }

  static void withdraw(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", file, e.getMessage());
    }
  }
}

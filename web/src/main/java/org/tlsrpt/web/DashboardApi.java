package org.tlsrpt.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tlsrpt.readiness.Readiness;
import org.tlsrpt.readiness.ReadinessJson;
import org.tlsrpt.storage.DashboardQueries;
import org.tlsrpt.storage.DashboardQueries.Filter;
import org.tlsrpt.storage.Summaries;

/**
 * The JSON the dashboard page reads, under {@code /api/}: {@code overview}, {@code daily}, {@code
 * organizations}, {@code domains} (with their MX hosts), {@code results}, {@code failures}, {@code
 * rejected}, {@code alerts}, {@code posture} (each domain's newest posture check run, by {@code
 * domain} alone) and {@code readiness} (each policy domain's enforce readiness, by {@code domain}
 * alone). Each takes {@code since=Nd} (default 30d), {@code domain} and {@code org}; the lists take
 * {@code limit} (default 200, at most 1000). Bad parameters get 400, storage failures 503, both
 * with {@code {"error": ...}}. This class answers the requests; {@link DashboardBodies} writes the
 * bodies.
 */
final class DashboardApi {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_DOMAIN = 253;
  private static final int MAX_ORG = 1024;
  private static final int DEFAULT_LIMIT = 200;

  /** Writes one endpoint's JSON body. */
  interface Body {
    void write(JsonGenerator g, Filter f, int limit) throws IOException;
  }

  private final DashboardQueries queries;
  private final Readiness readiness;
  private final DashboardBodies bodies;
  private final String noStore;

  /**
   * @param queries the store's queries, or null when this process keeps no store
   * @param readiness the readiness of the store's domains, or null when this process keeps no store
   * @param noStore what the endpoints answer (503) without a store
   */
  DashboardApi(DashboardQueries queries, Readiness readiness, String noStore) {
    this.queries = queries;
    this.readiness = readiness;
    this.bodies = new DashboardBodies(queries);
    this.noStore = noStore;
  }

  /** The endpoints by path. */
  Map<String, com.sun.net.httpserver.HttpHandler> handlers() {
    Map<String, com.sun.net.httpserver.HttpHandler> h = new LinkedHashMap<>();
    h.put("/api/overview", x -> answer(x, bodies::overview));
    h.put("/api/daily", x -> answer(x, bodies::daily));
    h.put("/api/organizations", x -> answer(x, bodies::organizations));
    h.put("/api/domains", x -> answer(x, bodies::domains));
    h.put("/api/results", x -> answer(x, bodies::results));
    h.put("/api/failures", x -> answer(x, bodies::failures));
    h.put("/api/rejected", x -> answer(x, bodies::rejected));
    h.put("/api/alerts", x -> answer(x, bodies::alerts));
    h.put("/api/posture", x -> answer(x, bodies::posture));
    h.put("/api/readiness", x -> answer(x, this::readiness));
    return h;
  }

  private void answer(HttpExchange x, Body body) throws IOException {
    try (x) {
      x.getResponseHeaders().set("Cache-Control", "no-store");
      x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      String method = x.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        x.getResponseHeaders().set("Allow", "GET, HEAD");
        send(x, 405, error("use GET"));
        return;
      }
      if (queries == null) {
        send(x, 503, error(noStore));
        return;
      }
      Filter f;
      int limit;
      try {
        Map<String, String> q = QueryString.parse(x.getRequestURI());
        f = filter(q);
        limit = limit(q);
      } catch (BadRequest e) {
        send(x, 400, error(e.getMessage()));
        return;
      }
      byte[] json;
      try {
        json = json(g -> body.write(g, f, limit));
      } catch (RuntimeException e) {
        send(x, 503, error(String.valueOf(e.getMessage())));
        return;
      }
      send(x, 200, json);
    }
  }

  /** The readiness of the filter's domain, or of every domain; the organization does not apply. */
  private void readiness(JsonGenerator g, Filter f, int limit) throws IOException {
    if (readiness == null) {
      throw new IllegalStateException(noStore);
    }
    ReadinessJson.write(
        g,
        f.since(),
        readiness.settings(),
        readiness.assess(f.since(), f.domain() == null ? List.of() : List.of(f.domain())));
  }

  static Filter filter(Map<String, String> q) {
    LocalDate since;
    try {
      since = Summaries.since(q.getOrDefault("since", "30d"));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
    String domain = q.get("domain");
    if (domain != null && domain.length() > MAX_DOMAIN) {
      throw new BadRequest("domain is longer than " + MAX_DOMAIN + " characters");
    }
    String org = q.get("org");
    if (org != null && org.length() > MAX_ORG) {
      throw new BadRequest("org is longer than " + MAX_ORG + " characters");
    }
    return new Filter(since, domain, org);
  }

  private static int limit(Map<String, String> q) {
    String l = q.get("limit");
    if (l == null) {
      return DEFAULT_LIMIT;
    }
    if (!l.matches("\\d{1,4}")
        || Integer.parseInt(l) < 1
        || Integer.parseInt(l) > DashboardQueries.MAX_ROWS) {
      throw new BadRequest("limit takes a number from 1 to " + DashboardQueries.MAX_ROWS);
    }
    return Integer.parseInt(l);
  }

  /** Writes a body that may throw IOException. */
  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] json(Writer w) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      w.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static byte[] error(String message) {
    return json(
        g -> {
          g.writeStartObject();
          g.writeStringField("error", message);
          g.writeEndObject();
        });
  }

  private static void send(HttpExchange x, int status, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    boolean head = x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream o = x.getResponseBody()) {
        o.write(body);
      }
    }
  }
}

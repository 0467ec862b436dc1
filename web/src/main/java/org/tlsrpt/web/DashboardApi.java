package org.tlsrpt.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tlsrpt.storage.Alert;
import org.tlsrpt.storage.AlertHistory;
import org.tlsrpt.storage.DashboardQueries;
import org.tlsrpt.storage.DashboardQueries.Filter;
import org.tlsrpt.storage.PostureHistory;
import org.tlsrpt.storage.Summaries;

/**
 * The JSON the dashboard page reads, under {@code /api/}: {@code overview}, {@code daily}, {@code
 * organizations}, {@code domains} (with their MX hosts), {@code results}, {@code failures}, {@code
 * rejected}, {@code alerts} and {@code posture} (each domain's newest posture check run, by {@code
 * domain} alone). Each takes {@code since=Nd} (default 30d), {@code domain} and {@code org}; the
 * lists take {@code limit} (default 200, at most 1000). Bad parameters get 400, storage failures
 * 503, both with {@code {"error": ...}}.
 */
final class DashboardApi {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Pattern DAYS = Pattern.compile("(\\d{1,5})d");
  private static final int MAX_DAYS = 36_600;
  private static final int MAX_DOMAIN = 253;
  private static final int MAX_ORG = 1024;
  private static final int DEFAULT_LIMIT = 200;

  /** An answer the request itself is to blame for (400). */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  /** Writes one endpoint's JSON body. */
  private interface Body {
    void write(JsonGenerator g, Filter f, int limit) throws IOException;
  }

  private final DashboardQueries queries;
  private final String noStore;

  /**
   * @param queries the store's queries, or null when this process keeps no store
   * @param noStore what the endpoints answer (503) without a store
   */
  DashboardApi(DashboardQueries queries, String noStore) {
    this.queries = queries;
    this.noStore = noStore;
  }

  /** The endpoints by path. */
  Map<String, com.sun.net.httpserver.HttpHandler> handlers() {
    Map<String, com.sun.net.httpserver.HttpHandler> h = new LinkedHashMap<>();
    h.put("/api/overview", x -> answer(x, this::overview));
    h.put("/api/daily", x -> answer(x, this::daily));
    h.put("/api/organizations", x -> answer(x, this::organizations));
    h.put("/api/domains", x -> answer(x, this::domains));
    h.put("/api/results", x -> answer(x, this::results));
    h.put("/api/failures", x -> answer(x, this::failures));
    h.put("/api/rejected", x -> answer(x, this::rejected));
    h.put("/api/alerts", x -> answer(x, this::alerts));
    h.put("/api/posture", x -> answer(x, this::posture));
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

  static Filter filter(Map<String, String> q) {
    Matcher m = DAYS.matcher(q.getOrDefault("since", "30d"));
    if (!m.matches()
        || Integer.parseInt(m.group(1)) < 1
        || Integer.parseInt(m.group(1)) > MAX_DAYS) {
      throw new BadRequest(
          "since takes a number of days from 1d to " + MAX_DAYS + "d, such as 30d");
    }
    String domain = q.get("domain");
    if (domain != null && domain.length() > MAX_DOMAIN) {
      throw new BadRequest("domain is longer than " + MAX_DOMAIN + " characters");
    }
    String org = q.get("org");
    if (org != null && org.length() > MAX_ORG) {
      throw new BadRequest("org is longer than " + MAX_ORG + " characters");
    }
    return new Filter(Summaries.since(Integer.parseInt(m.group(1))), domain, org);
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

  private void head(JsonGenerator g, Filter f) throws IOException {
    g.writeStringField("since", f.since().toString());
    nullable(g, "domain", f.domain());
    nullable(g, "organization", f.organization());
  }

  private void overview(JsonGenerator g, Filter f, int limit) throws IOException {
    DashboardQueries.Totals t = queries.totals(f);
    g.writeStartObject();
    head(g, f);
    g.writeNumberField("reports", t.reports());
    sessions(g, t.successful(), t.failed());
    g.writeNumberField("organizations", t.organizations());
    g.writeNumberField("domains", t.domains());
    g.writeNumberField("rejected_inputs", t.rejected());
    g.writeNumberField("quarantined_inputs", t.quarantined());
    g.writeNumberField("alerts", t.alerts());
    g.writeNumberField("demo_reports", t.demoReports());
    g.writeEndObject();
  }

  private void daily(JsonGenerator g, Filter f, int limit) throws IOException {
    Map<LocalDate, Map<String, long[]>> days = new TreeMap<>();
    for (DashboardQueries.Day d : queries.daily(f)) {
      days.computeIfAbsent(d.day(), k -> new TreeMap<>())
          .put(mode(d.mode()), new long[] {d.successful(), d.failed()});
    }
    g.writeStartObject();
    head(g, f);
    g.writeArrayFieldStart("days");
    for (var day : days.entrySet()) {
      long ok = 0;
      long failed = 0;
      for (long[] v : day.getValue().values()) {
        ok += v[0];
        failed += v[1];
      }
      g.writeStartObject();
      g.writeStringField("day", day.getKey().toString());
      sessions(g, ok, failed);
      g.writeObjectFieldStart("modes");
      for (var m : day.getValue().entrySet()) {
        g.writeObjectFieldStart(m.getKey());
        sessions(g, m.getValue()[0], m.getValue()[1]);
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** The sts mode, "none" for policies without one (tlsa, no-policy-found). */
  private static String mode(String m) {
    return m == null || m.isEmpty() ? "none" : m;
  }

  private void organizations(JsonGenerator g, Filter f, int limit) throws IOException {
    groups(g, f, "organization", queries.organizations(f));
  }

  private void domains(JsonGenerator g, Filter f, int limit) throws IOException {
    Map<String, List<DashboardQueries.MxHost>> mx = new LinkedHashMap<>();
    for (DashboardQueries.MxHost h : queries.mxHosts(f)) {
      mx.computeIfAbsent(h.domain(), k -> new ArrayList<>()).add(h);
    }
    List<DashboardQueries.Group> rows = queries.domains(f);
    g.writeStartObject();
    head(g, f);
    g.writeArrayFieldStart("rows");
    for (DashboardQueries.Group r : rows) {
      g.writeStartObject();
      group(g, "domain", r);
      g.writeArrayFieldStart("mx_hosts");
      for (DashboardQueries.MxHost h : mx.getOrDefault(r.key(), List.of())) {
        g.writeStartObject();
        nullable(g, "mx_host", h.host().isEmpty() ? null : h.host());
        g.writeNumberField("reports", h.reports());
        g.writeNumberField("failed_sessions", h.failed());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void groups(JsonGenerator g, Filter f, String name, List<DashboardQueries.Group> rows)
      throws IOException {
    g.writeStartObject();
    head(g, f);
    g.writeArrayFieldStart("rows");
    for (DashboardQueries.Group r : rows) {
      g.writeStartObject();
      group(g, name, r);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void group(JsonGenerator g, String name, DashboardQueries.Group r)
      throws IOException {
    g.writeStringField(name, r.key());
    g.writeArrayFieldStart("modes");
    for (String m : r.modes().isEmpty() ? new String[0] : r.modes().split(",")) {
      g.writeString(m);
    }
    g.writeEndArray();
    g.writeNumberField("reports", r.reports());
    sessions(g, r.successful(), r.failed());
  }

  private void results(JsonGenerator g, Filter f, int limit) throws IOException {
    g.writeStartObject();
    head(g, f);
    g.writeArrayFieldStart("rows");
    for (DashboardQueries.ResultType r : queries.resultTypes(f)) {
      g.writeStartObject();
      g.writeStringField("result_type", r.resultType());
      g.writeNumberField("reports", r.reports());
      g.writeNumberField("failed_sessions", r.failed());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void failures(JsonGenerator g, Filter f, int limit) throws IOException {
    g.writeStartObject();
    head(g, f);
    g.writeNumberField("limit", limit);
    g.writeArrayFieldStart("rows");
    for (DashboardQueries.Failure r : queries.failures(f, limit)) {
      g.writeStartObject();
      g.writeStringField("policy_domain", r.policyDomain());
      g.writeStringField("result_type", r.resultType());
      nullable(g, "sending_mta_ip", r.sendingMtaIp());
      nullable(g, "receiving_mx_hostname", r.receivingMxHostname());
      nullable(g, "receiving_ip", r.receivingIp());
      nullable(g, "failure_reason_code", r.failureReasonCode());
      nullable(g, "additional_information", r.additionalInformation());
      strings(g, "organizations", r.organizations());
      g.writeNumberField("reports", r.reports());
      g.writeNumberField("failed_sessions", r.sessions());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void rejected(JsonGenerator g, Filter f, int limit) throws IOException {
    g.writeStartObject();
    g.writeStringField("since", f.since().toString());
    g.writeNumberField("limit", limit);
    g.writeArrayFieldStart("counts");
    for (DashboardQueries.RejectedCount c : queries.rejectedCounts(f)) {
      g.writeStartObject();
      g.writeStringField("status", c.status());
      g.writeStringField("code", c.code());
      g.writeNumberField("inputs", c.inputs());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("rows");
    for (DashboardQueries.Rejected r : queries.rejected(f, limit)) {
      g.writeStartObject();
      g.writeStringField("received_at", r.receivedAt().toString());
      g.writeStringField("source", r.source());
      g.writeStringField("status", r.status());
      g.writeStringField("code", r.code());
      g.writeStringField("message", r.message());
      g.writeNumberField("size", r.size());
      g.writeStringField("sha256", r.sha256());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void alerts(JsonGenerator g, Filter f, int limit) throws IOException {
    g.writeStartObject();
    head(g, f);
    g.writeNumberField("limit", limit);
    g.writeArrayFieldStart("rows");
    for (AlertHistory.Entry e : queries.alerts(f, limit)) {
      Alert a = e.alert();
      g.writeStartObject();
      g.writeStringField("fired_at", e.firedAt().toString());
      g.writeStringField("rule", a.rule());
      g.writeStringField("policy_domain", a.policyDomain());
      g.writeStringField("organization", a.organization());
      g.writeStringField("mode", a.mode());
      strings(g, "result_types", a.resultTypes());
      strings(g, "mx_hosts", a.mxHosts());
      g.writeNumberField("failed_sessions", a.failedSessions());
      g.writeStringField("message", a.message());
      strings(g, "channels", e.channels());
      g.writeStringField("delivery", e.delivery());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void posture(JsonGenerator g, Filter f, int limit) throws IOException {
    g.writeStartObject();
    nullable(g, "domain", f.domain());
    g.writeArrayFieldStart("rows");
    for (PostureHistory.Finding p : queries.posture(f)) {
      g.writeStartObject();
      g.writeStringField("domain", p.domain());
      g.writeStringField("checked_at", p.checkedAt().toString());
      g.writeStringField("finding", p.finding());
      g.writeStringField("status", p.status());
      g.writeStringField("subject", p.subject());
      g.writeStringField("message", p.message());
      g.writeStringField("remedy", p.remedy());
      if (p.daysToExpiry() == null) {
        g.writeNullField("days_to_expiry");
      } else {
        g.writeNumberField("days_to_expiry", p.daysToExpiry());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void sessions(JsonGenerator g, long ok, long failed) throws IOException {
    g.writeNumberField("successful_sessions", ok);
    g.writeNumberField("failed_sessions", failed);
    if (ok + failed == 0) {
      g.writeNullField("failure_rate");
    } else {
      g.writeNumberField("failure_rate", (double) failed / (ok + failed));
    }
  }

  private static void nullable(JsonGenerator g, String name, String value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, value);
    }
  }

  private static void strings(JsonGenerator g, String name, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
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

package org.tlsrpt.web;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tlsrpt.storage.Alert;
import org.tlsrpt.storage.AlertHistory;
import org.tlsrpt.storage.DashboardQueries;
import org.tlsrpt.storage.DashboardQueries.Filter;
import org.tlsrpt.storage.PostureHistory;

/**
 * The JSON bodies of the dashboard's endpoints ({@link DashboardApi} answers the requests): one
 * method per endpoint, each writing what the page shows from the store's queries, under the filter
 * in effect.
 */
final class DashboardBodies {
  private final DashboardQueries queries;

  DashboardBodies(DashboardQueries queries) {
    this.queries = queries;
  }

  private void head(JsonGenerator g, Filter f) throws IOException {
    g.writeStringField("since", f.since().toString());
    nullable(g, "domain", f.domain());
    nullable(g, "organization", f.organization());
  }

  void overview(JsonGenerator g, Filter f, int limit) throws IOException {
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

  void daily(JsonGenerator g, Filter f, int limit) throws IOException {
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

  void organizations(JsonGenerator g, Filter f, int limit) throws IOException {
    groups(g, f, "organization", queries.organizations(f));
  }

  void domains(JsonGenerator g, Filter f, int limit) throws IOException {
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

  void results(JsonGenerator g, Filter f, int limit) throws IOException {
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

  void failures(JsonGenerator g, Filter f, int limit) throws IOException {
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

  void rejected(JsonGenerator g, Filter f, int limit) throws IOException {
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

  void alerts(JsonGenerator g, Filter f, int limit) throws IOException {
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

  void posture(JsonGenerator g, Filter f, int limit) throws IOException {
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
}

package org.tlsrpt.readiness;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import org.tlsrpt.storage.PostureHistory;
import org.tlsrpt.storage.ReadinessQueries;

/**
 * The readiness as JSON, as {@code /api/readiness} answers and {@code tlsrpt readiness --format
 * json} prints it: the window, the thresholds, and one row per domain (docs/cli.md).
 */
public final class ReadinessJson {
  private ReadinessJson() {}

  /** Writes one object: {@code since}, {@code settings} and {@code rows}. */
  public static void write(
      JsonGenerator g, LocalDate since, ReadinessSettings s, List<Assessment> rows)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("since", since.toString());
    g.writeObjectFieldStart("settings");
    g.writeNumberField("max_failure_percent", s.maxFailurePercent());
    g.writeNumberField("min_days", s.minDays());
    g.writeNumberField("min_sessions", s.minSessions());
    g.writeNumberField("min_reporters", s.minReporters());
    g.writeNumberField("silent_after_days", s.silentAfterDays());
    g.writeEndObject();
    g.writeArrayFieldStart("rows");
    for (Assessment a : rows) {
      row(g, a);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void row(JsonGenerator g, Assessment a) throws IOException {
    g.writeStartObject();
    g.writeStringField("domain", a.domain());
    g.writeStringField("mode", a.mode());
    g.writeStringField("verdict", a.verdict().wire());
    g.writeStringField("verdict_text", a.verdict().words());
    g.writeStringField("summary", a.summary());
    g.writeNumberField("sessions", a.sessions());
    g.writeNumberField("failed_sessions", a.failed());
    if (a.sessions() == 0) {
      g.writeNullField("failure_rate");
    } else {
      g.writeNumberField("failure_rate", (double) a.failed() / a.sessions());
    }
    g.writeStringField("trend", a.trend());
    g.writeArrayFieldStart("reasons");
    for (Reason r : a.reasons()) {
      g.writeStartObject();
      g.writeStringField("kind", r.kind());
      g.writeStringField("text", r.text());
      g.writeStringField("remedy", r.remedy());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("notes");
    for (String n : a.notes()) {
      g.writeString(n);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("daily");
    for (ReadinessQueries.Day d : a.daily()) {
      g.writeStartObject();
      g.writeStringField("day", d.day().toString());
      g.writeNumberField("successful_sessions", d.successful());
      g.writeNumberField("failed_sessions", d.failed());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("failures");
    for (ReadinessQueries.FailureGroup f : a.failures()) {
      g.writeStartObject();
      g.writeStringField("organization", f.organization());
      g.writeStringField("mx_host", f.mxHost());
      g.writeStringField("result_type", f.resultType());
      g.writeNumberField("sessions", f.sessions());
      nullable(g, "failure_reason_code", f.reasonCode());
      nullable(g, "additional_information", f.additionalInformation());
      g.writeEndObject();
    }
    g.writeEndArray();
    splits(g, "senders", a.senders());
    splits(g, "mx_hosts", a.mxHosts());
    splits(g, "result_types", a.resultTypes());
    g.writeArrayFieldStart("reporters");
    for (Assessment.ReporterState r : a.reporters()) {
      g.writeStartObject();
      g.writeStringField("organization", r.organization());
      g.writeStringField("last_day", r.lastDay().toString());
      g.writeNumberField("days", r.days());
      g.writeNumberField("sessions", r.sessions());
      g.writeBooleanField("silent", r.silent());
      g.writeEndObject();
    }
    g.writeEndArray();
    nullable(
        g, "posture_checked_at", a.postureCheckedAt() == null ? null : a.postureCheckedAt() + "");
    g.writeArrayFieldStart("posture");
    for (PostureHistory.Finding f : a.posture()) {
      g.writeStartObject();
      g.writeStringField("finding", f.finding());
      g.writeStringField("status", f.status());
      g.writeStringField("subject", f.subject());
      g.writeStringField("message", f.message());
      g.writeStringField("remedy", f.remedy());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("links");
    g.writeStringField("detail", a.detailLink());
    g.writeStringField("alerts", a.alertsLink());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void splits(JsonGenerator g, String name, List<Assessment.Split> splits)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (Assessment.Split s : splits) {
      g.writeStartObject();
      g.writeStringField("key", s.key());
      if (s.sessions() != null) {
        g.writeNumberField("sessions", s.sessions());
      }
      g.writeNumberField("failed_sessions", s.failed());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void nullable(JsonGenerator g, String name, String value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, value);
    }
  }
}

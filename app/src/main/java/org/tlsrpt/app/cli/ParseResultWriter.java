package org.tlsrpt.app.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.TlsReport;
import org.tlsrpt.parser.model.TransportMetadata;
import org.tlsrpt.parser.rules.Warning;

/**
 * Writes {@code tlsrpt parse} results as JSON Lines (docs/cli.md): one object per report found, or
 * one per rejected input. Absent values are {@code null}, times are UTC ISO-8601 with {@code Z}.
 */
public final class ParseResultWriter implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final OutputStream out;
  private final boolean pretty;
  private JsonGenerator g;

  public ParseResultWriter(OutputStream out, boolean pretty) {
    this.out = out;
    this.pretty = pretty;
  }

  /** One generator per line, so that no root-value separator is written between lines. */
  private void startLine() throws IOException {
    g = JSON.createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    if (pretty) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
    }
  }

  /** Writes the lines for one input. */
  public void write(String source, ParseOutcome outcome) {
    try {
      switch (outcome) {
        case ParseOutcome.Parsed p -> {
          for (ParsedReport r : p.reports()) {
            accepted(source, r);
          }
        }
        case ParseOutcome.Rejected r -> rejected(source, r);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A rejected line that the parser did not produce (a bug caught at the per-input boundary). */
  public void failed(String source, String code, String message) {
    try {
      startLine();
      g.writeStartObject();
      g.writeStringField("source", source);
      g.writeStringField("status", "rejected");
      g.writeObjectFieldStart("error");
      g.writeStringField("code", code);
      g.writeStringField("message", message);
      g.writeEndObject();
      g.writeEndObject();
      endLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void accepted(String source, ParsedReport r) throws IOException {
    startLine();
    g.writeStartObject();
    g.writeStringField("source", source);
    g.writeStringField("status", "accepted");
    g.writeFieldName("report");
    report(r.report());
    g.writeFieldName("transport");
    transport(r.transport());
    g.writeArrayFieldStart("warnings");
    for (Warning w : r.warnings()) {
      g.writeString(w.message());
    }
    g.writeEndArray();
    g.writeEndObject();
    endLine();
  }

  private void rejected(String source, ParseOutcome.Rejected r) throws IOException {
    startLine();
    g.writeStartObject();
    g.writeStringField("source", source);
    g.writeStringField("status", "rejected");
    g.writeObjectFieldStart("error");
    g.writeStringField("code", r.code().wire());
    g.writeStringField("message", r.detail());
    g.writeEndObject();
    g.writeEndObject();
    endLine();
  }

  private void endLine() throws IOException {
    g.writeRaw('\n');
    g.close();
  }

  private void report(TlsReport r) throws IOException {
    g.writeStartObject();
    g.writeStringField("report_id", r.reportId());
    g.writeStringField("organization", r.organizationName());
    g.writeStringField("contact_info", r.contactInfo());
    g.writeObjectFieldStart("date_range");
    g.writeStringField("start", iso(r.dateRange().start()));
    g.writeStringField("end", iso(r.dateRange().end()));
    g.writeEndObject();
    g.writeArrayFieldStart("policies");
    for (PolicyResult p : r.policies()) {
      policy(p);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void policy(PolicyResult p) throws IOException {
    g.writeStartObject();
    g.writeStringField("policy_type", p.policyType().wire());
    g.writeStringField("policy_domain", p.policyDomain());
    g.writeStringField("mode", p.mode() == null ? null : p.mode().wire());
    stringArray("policy_string", p.policyStrings());
    stringArray("mx_host", p.mxHosts());
    g.writeNumberField("successful", p.successfulSessions());
    g.writeNumberField("failed", p.failedSessions());
    g.writeArrayFieldStart("failures");
    for (FailureDetail f : p.failures()) {
      g.writeStartObject();
      g.writeStringField("result_type", f.resultType().wire());
      g.writeStringField("sending_mta_ip", f.sendingMtaIp());
      g.writeStringField("receiving_mx_hostname", f.receivingMxHostname());
      g.writeStringField("receiving_mx_helo", f.receivingMxHelo());
      g.writeStringField("receiving_ip", f.receivingIp());
      g.writeNumberField("failed_session_count", f.failedSessionCount());
      g.writeStringField("failure_reason_code", f.failureReasonCode());
      g.writeStringField("additional_information", f.additionalInformation());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void transport(TransportMetadata t) throws IOException {
    if (t == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeStringField("tls_report_domain", t.tlsReportDomain());
    g.writeStringField("tls_report_submitter", t.tlsReportSubmitter());
    g.writeStringField("subject_report_id", t.subjectReportId());
    g.writeStringField("attachment_filename", t.attachmentFilename());
    g.writeStringField("attachment_content_type", t.attachmentContentType());
    g.writeStringField("from", t.from());
    g.writeStringField("message_id", t.messageId());
    g.writeStringField("date", t.date());
    g.writeEndObject();
  }

  private void stringArray(String name, List<String> values) throws IOException {
    if (values == null) {
      g.writeNullField(name);
      return;
    }
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static String iso(Instant i) {
    return i.toString();
  }

  @Override
  public void close() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package org.tlsrpt.parser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.parser.rules.Warning;

/** A valid report to vary in tests, and assertions on outcomes. */
final class Reports {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Reports() {}

  /** The RFC 8460 §4.5 example (erratum 6241 form): sts testing, three failure details. */
  static ObjectNode base() {
    try {
      return (ObjectNode) MAPPER.readTree(Samples.read("phi-ag__rfc-errata-6241.json"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] with(Consumer<ObjectNode> edit) {
    ObjectNode r = base();
    edit.accept(r);
    try {
      return MAPPER.writeValueAsBytes(r);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode policy(ObjectNode report, int i) {
    return (ObjectNode) report.get("policies").get(i).get("policy");
  }

  static ObjectNode policyEntry(ObjectNode report, int i) {
    return (ObjectNode) report.get("policies").get(i);
  }

  static ObjectNode failure(ObjectNode report, int policy, int detail) {
    return (ObjectNode) report.get("policies").get(policy).get("failure-details").get(detail);
  }

  static ParsedReport accepted(ParseOutcome outcome) {
    assertThat(outcome).as("%s", outcome).isInstanceOf(ParseOutcome.Parsed.class);
    List<ParsedReport> reports = ((ParseOutcome.Parsed) outcome).reports();
    assertThat(reports).hasSize(1);
    return reports.get(0);
  }

  static ParseOutcome.Rejected rejected(ParseOutcome outcome, RejectCode code) {
    assertThat(outcome).as("%s", outcome).isInstanceOf(ParseOutcome.Rejected.class);
    ParseOutcome.Rejected r = (ParseOutcome.Rejected) outcome;
    assertThat(r.code()).as(r.detail()).isEqualTo(code);
    return r;
  }

  static List<String> warningCodes(ParsedReport r) {
    return r.warnings().stream().map(Warning::code).toList();
  }
}

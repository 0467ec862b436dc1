package org.tlsrpt.storage;

import java.util.List;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.TlsReport;
import org.tlsrpt.parser.model.TransportMetadata;
import org.tlsrpt.parser.rules.Warning;

/**
 * The rows one accepted report becomes in {@code reports}, {@code policies} and {@code failures},
 * keyed by its report key and versioned by its arrival (docs/adr/0004).
 */
final class ReportRows {
  /** Versions fall as arrival time grows, so the first arrival of a report wins in the tables. */
  static final long VERSION_EPOCH = 4_102_444_800_000L; // 2100-01-01

  private ReportRows() {}

  /**
   * The row of {@code report_keys} for a report added with {@link #add}: same key, same version.
   */
  static void addKey(String key, Incoming in, BinaryRows keys) {
    keys.begin()
        .fixed("report_key", key, 32)
        .uint64("version", VERSION_EPOCH - in.receivedAt().toEpochMilli())
        .end();
  }

  static void add(
      ParsedReport parsed,
      String key,
      Incoming in,
      String sha,
      BinaryRows reports,
      BinaryRows policies,
      BinaryRows failures) {
    TlsReport r = parsed.report();
    long version = VERSION_EPOCH - in.receivedAt().toEpochMilli();
    TransportMetadata t = parsed.transport();
    reports
        .beginReport(r)
        .fixed("report_key", key, 32)
        .nullableStr("contact_info", r.contactInfo())
        .str("source", in.source().wire())
        .time("received_at", in.receivedAt())
        .str("dkim", in.dkim().wire())
        .fixed("raw_sha256", sha, 64)
        .array("warnings", parsed.warnings().stream().map(Warning::message).toList())
        .nullableStr("tls_report_domain", t == null ? null : t.tlsReportDomain())
        .nullableStr("tls_report_submitter", t == null ? null : t.tlsReportSubmitter())
        .nullableStr("subject_report_id", t == null ? null : t.subjectReportId())
        .nullableStr("attachment_filename", t == null ? null : t.attachmentFilename())
        .nullableStr("attachment_content_type", t == null ? null : t.attachmentContentType())
        .nullableStr("mail_from", t == null ? null : t.from())
        .nullableStr("message_id", t == null ? null : t.messageId())
        .uint16("policy_count", Math.min(r.policies().size(), 0xffff))
        .uint64("version", version)
        .end();
    for (int pi = 0; pi < r.policies().size(); pi++) {
      PolicyResult p = r.policies().get(pi);
      String mode = p.mode() == null ? "" : p.mode().wire();
      String domain = p.policyDomain() == null ? "" : p.policyDomain();
      Long maxAge =
          p.sts() == null || p.sts().maxAge() == null
              ? null
              : Math.min(p.sts().maxAge(), 0xffffffffL);
      policies
          .beginReport(r)
          .uint16("policy_index", pi)
          .fixed("report_key", key, 32)
          .str("policy_type", p.policyType().wire())
          .str("policy_domain", domain)
          .str("mode", mode)
          .nullableUint32("max_age", maxAge)
          .array(
              "mx_patterns",
              p.mxHosts() != null ? p.mxHosts() : p.sts() != null ? p.sts().mx() : List.of())
          .array("policy_strings", p.policyStrings())
          .fixed("policy_fingerprint", ReportKeys.policyFingerprint(p), 16)
          .uint64("successful", p.successfulSessions())
          .uint64("failed", p.failedSessions())
          .time("received_at", in.receivedAt())
          .uint64("version", version)
          .end();
      for (int di = 0; di < p.failures().size(); di++) {
        FailureDetail f = p.failures().get(di);
        failures
            .beginReport(r)
            .uint16("policy_index", pi)
            .uint32("detail_index", di)
            .fixed("report_key", key, 32)
            .str("policy_type", p.policyType().wire())
            .str("policy_domain", domain)
            .str("mode", mode)
            .str("result_type", f.resultType().wire())
            .nullableStr("sending_mta_ip", f.sendingMtaIp())
            .nullableStr("receiving_mx_hostname", f.receivingMxHostname())
            .nullableStr("receiving_mx_helo", f.receivingMxHelo())
            .nullableStr("receiving_ip", f.receivingIp())
            .uint64("failed_session_count", f.failedSessionCount())
            .nullableStr("failure_reason_code", f.failureReasonCode())
            .nullableStr("additional_information", f.additionalInformation())
            .time("received_at", in.receivedAt())
            .uint64("version", version)
            .end();
      }
    }
  }
}

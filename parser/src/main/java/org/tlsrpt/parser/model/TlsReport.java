package org.tlsrpt.parser.model;

import java.util.List;
import java.util.Objects;

/**
 * An SMTP TLS report (RFC 8460 §4.4) as read from its JSON body. The body is authoritative (RFC
 * 8460 §5.6): transport metadata lives beside it in {@link TransportMetadata}, never inside.
 *
 * @param contactInfo free text, {@code null} when absent or JSON null
 */
public record TlsReport(
    String organizationName,
    DateRange dateRange,
    String contactInfo,
    String reportId,
    List<PolicyResult> policies) {
  public TlsReport {
    Objects.requireNonNull(organizationName, "organizationName");
    Objects.requireNonNull(dateRange, "dateRange");
    Objects.requireNonNull(reportId, "reportId");
    policies = List.copyOf(policies);
  }

  /** The de-duplication key: the same report delivered twice has the same key. */
  public ReportKey key() {
    return new ReportKey(organizationName, reportId, dateRange.start(), dateRange.end());
  }
}

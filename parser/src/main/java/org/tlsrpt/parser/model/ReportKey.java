package org.tlsrpt.parser.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What makes two deliveries the same report: reporter, report id and date range. A report id alone
 * is not unique across reporters (RFC 8460 leaves the scheme to each).
 */
public record ReportKey(String organizationName, String reportId, Instant start, Instant end) {
  public ReportKey {
    Objects.requireNonNull(organizationName, "organizationName");
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }
}

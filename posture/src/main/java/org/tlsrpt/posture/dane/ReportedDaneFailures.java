package org.tlsrpt.posture.dane;

import java.time.Instant;
import java.util.List;

/**
 * The DANE failures senders reported in their TLS reports ({@code tlsa-invalid}, {@code
 * dnssec-invalid}, {@code dane-required}; RFC 8460 §4.3.2.1): the seam between the DANE check and
 * the report store.
 */
public interface ReportedDaneFailures {

  /** The result types of RFC 8460 §4.3.2.1. */
  List<String> RESULT_TYPES = List.of("tlsa-invalid", "dnssec-invalid", "dane-required");

  /**
   * One sending organization's failures of one type for one MX host.
   *
   * @param mxHost the MX host (the TLSA policy domain, or the receiving MX of the failure); empty
   *     when the report names none
   */
  record Reported(
      String organization, String resultType, String mxHost, long sessions, Instant lastDateEnd) {}

  /**
   * The failures reported for the domain or its MX hosts in reports that ended at or after {@code
   * since}, summed per organization, result type and MX host.
   *
   * @throws RuntimeException when the store cannot answer now (the cross-check then says it was not
   *     checked)
   */
  List<Reported> since(String domain, List<String> mxHosts, Instant since);

  /** A source that is not there, with the reason the check prints. */
  static ReportedDaneFailures unavailable(String reason) {
    return new Unavailable(reason);
  }

  /** No store to ask: the cross-check is reported as not checked. */
  record Unavailable(String reason) implements ReportedDaneFailures {
    @Override
    public List<Reported> since(String domain, List<String> mxHosts, Instant since) {
      throw new IllegalStateException(reason);
    }
  }
}

package org.tlsrpt.posture;

import java.time.Instant;
import java.util.List;

/**
 * The MTA-STS policies that senders said, in their TLS reports, they applied to a domain: the seam
 * between the posture check and the report store.
 */
public interface ReportedPolicies {

  /** One sending organization's latest report on the domain. */
  record Reported(String organization, List<String> policyStrings, Instant dateEnd) {
    public Reported {
      policyStrings = List.copyOf(policyStrings);
    }
  }

  /**
   * For each sending organization, the policy strings of its latest {@code sts} report on {@code
   * domain} that ended at or after {@code since}.
   *
   * @throws RuntimeException when the store cannot answer now (the check then says it was not
   *     checked)
   */
  List<Reported> latest(String domain, Instant since);

  /** A source that is not there, with the reason the check prints. */
  static ReportedPolicies unavailable(String reason) {
    return new Unavailable(reason);
  }

  /** No store to ask (none given, or it is busy): the cross-check is reported as not checked. */
  record Unavailable(String reason) implements ReportedPolicies {
    @Override
    public List<Reported> latest(String domain, Instant since) {
      throw new IllegalStateException(reason);
    }
  }
}

package org.tlsrpt.parser.model;

import java.util.List;
import java.util.Objects;

/**
 * One element of a report's {@code policies} array (RFC 8460 §4.4): the policy the sender applied,
 * its session summary and its failure details.
 *
 * @param policyDomain lower-case; {@code null} only where reporters leave it out ({@code
 *     no-policy-found} from Postfix, or an unknown policy type)
 * @param policyStrings the {@code policy-string} lines as sent, or {@code null} when absent
 * @param mxHosts the {@code mx-host} patterns, lower-case, or {@code null} when absent
 * @param sts the policy fields derived from {@code policyStrings} for an {@code sts} policy, else
 *     null
 * @param tlsaRecords the records derived from {@code policyStrings} for a {@code tlsa} policy, else
 *     empty
 */
public record PolicyResult(
    PolicyType policyType,
    String policyDomain,
    List<String> policyStrings,
    List<String> mxHosts,
    StsPolicy sts,
    List<TlsaRecord> tlsaRecords,
    long successfulSessions,
    long failedSessions,
    List<FailureDetail> failures) {
  public PolicyResult {
    Objects.requireNonNull(policyType, "policyType");
    policyStrings = policyStrings == null ? null : List.copyOf(policyStrings);
    mxHosts = mxHosts == null ? null : List.copyOf(mxHosts);
    tlsaRecords = List.copyOf(tlsaRecords);
    failures = List.copyOf(failures);
    if (successfulSessions < 0 || failedSessions < 0) {
      throw new IllegalArgumentException("session counts must be non-negative");
    }
  }

  /** The sts policy mode, the one thing operators key on; {@code null} for other policy types. */
  public StsMode mode() {
    return sts == null ? null : sts.mode();
  }
}

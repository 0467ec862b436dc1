package org.tlsrpt.parser.model;

import java.util.Objects;

/**
 * One entry of a policy's {@code failure-details} (RFC 8460 §4.4). Only the result type and the
 * count are required; reporters leave the rest out (Microsoft sends neither IP nor MX host for
 * policy fetch errors). IP addresses are canonical (RFC 5952 for IPv6), host names lower-case.
 */
public record FailureDetail(
    ResultType resultType,
    String sendingMtaIp,
    String receivingMxHostname,
    String receivingMxHelo,
    String receivingIp,
    long failedSessionCount,
    String failureReasonCode,
    String additionalInformation) {
  public FailureDetail {
    Objects.requireNonNull(resultType, "resultType");
    if (failedSessionCount < 0) {
      throw new IllegalArgumentException("failedSessionCount " + failedSessionCount + " < 0");
    }
  }
}

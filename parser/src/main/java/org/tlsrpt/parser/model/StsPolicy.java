package org.tlsrpt.parser.model;

import java.util.List;

/**
 * The fields of an MTA-STS policy (RFC 8461 §3.2) as reconstructed from a report's {@code
 * policy-string}. Each field is {@code null} when the line was absent or unreadable; the raw lines
 * stay on {@link PolicyResult#policyStrings()}.
 *
 * @param version the {@code version:} value, normally {@code STSv1}
 * @param mode the {@code mode:} value
 * @param maxAge the {@code max_age:} value in seconds
 * @param mx the {@code mx:} patterns, lower-cased, in the order given
 */
public record StsPolicy(String version, StsMode mode, Long maxAge, List<String> mx) {
  public StsPolicy {
    mx = List.copyOf(mx);
  }
}

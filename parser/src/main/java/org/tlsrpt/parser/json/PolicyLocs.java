package org.tlsrpt.parser.json;

/**
 * The locations inside {@code policies[i]}, made once for the first indices and shared (a {@link
 * Loc} is immutable), so that reading a typical report allocates no location objects at all.
 */
final class PolicyLocs {
  private static final int CACHED_POLICIES = 16;
  private static final int CACHED_DETAILS = 64;
  private static final PolicyLocs[] CACHE = new PolicyLocs[CACHED_POLICIES];

  static {
    for (int i = 0; i < CACHED_POLICIES; i++) {
      CACHE[i] = new PolicyLocs(i);
    }
  }

  final Loc self;
  final Loc policy;
  final Loc summary;
  final Loc failureDetails;
  final Loc policyString;
  final Loc mxHost;
  private final Loc[] details = new Loc[CACHED_DETAILS];

  private PolicyLocs(int index) {
    self = Loc.ROOT.field("policies").index(index);
    policy = self.field("policy");
    summary = self.field("summary");
    failureDetails = self.field("failure-details");
    policyString = policy.field("policy-string");
    mxHost = policy.field("mx-host");
    for (int j = 0; j < CACHED_DETAILS; j++) {
      details[j] = failureDetails.index(j);
    }
  }

  static PolicyLocs of(int index) {
    return index < CACHED_POLICIES ? CACHE[index] : new PolicyLocs(index);
  }

  Loc detail(int j) {
    return j < CACHED_DETAILS ? details[j] : failureDetails.index(j);
  }
}

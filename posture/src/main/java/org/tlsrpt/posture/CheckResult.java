package org.tlsrpt.posture;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Every finding of one check of one domain, in the order they were made (DNS, policy, each MX,
 * cross-checks).
 */
public record CheckResult(String domain, Instant checkedAt, List<Finding> findings) {

  public CheckResult {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(checkedAt, "checkedAt");
    findings = List.copyOf(findings);
  }

  /** The worst verdict: FAIL if any finding failed, else WARN if any warned, else OK. */
  public Status status() {
    Status s = Status.OK;
    for (Finding f : findings) {
      s = Status.worse(s, f.status());
    }
    return s;
  }

  /** Exit status of {@code tlsrpt check}: 0 all OK, 1 warnings only, 2 any failure. */
  public int exitCode() {
    return exitCode(status());
  }

  static int exitCode(Status s) {
    return switch (s) {
      case FAIL -> 2;
      case WARN -> 1;
      case OK, NOT_CHECKED -> 0;
    };
  }

  /** The findings with this id (several for per-MX checks). */
  public List<Finding> findings(String id) {
    return findings.stream().filter(f -> f.id().equals(id)).toList();
  }

  public long count(Status s) {
    return findings.stream().filter(f -> f.status() == s).count();
  }
}

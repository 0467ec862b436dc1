package org.tlsrpt.posture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Verdicts that compare the policy with the MX records and with what senders reported. */
final class CrossChecks {
  private CrossChecks() {}

  static final String MODE = "policy.mode";
  static final String MX_NOT_COVERED = "cross.mx_not_covered";
  static final String REPORTED_POLICY = "cross.reported_policy";

  static Finding mode(String url, StsPolicy p) {
    Map<String, String> facts = Map.of("mode", p.mode());
    return switch (p.mode()) {
      case "enforce" ->
          Finding.ok(MODE, url, "mode enforce: senders refuse to deliver without valid TLS", facts);
      case "testing" ->
          Finding.warn(
                  MODE,
                  url,
                  "mode testing: senders deliver even when TLS fails, and only report it",
                  "when the TLS reports show no failures for a few weeks, set 'mode: enforce' and"
                      + " change the id in the _mta-sts record")
              .with(facts);
      default ->
          Finding.warn(
                  MODE,
                  url,
                  "mode none: the policy is withdrawn; senders forget it",
                  "if this is not a planned withdrawal, publish mode testing or enforce and change"
                      + " the id")
              .with(facts);
    };
  }

  /** MX records that no mx pattern matches: refused under enforce, reported under testing. */
  static Finding mxCoverage(StsPolicy policy, List<String> mxHosts) {
    String subject = "policy mx vs MX records";
    if (policy == null) {
      return Finding.notChecked(MX_NOT_COVERED, subject, "no valid policy");
    }
    if (mxHosts.isEmpty()) {
      return Finding.notChecked(MX_NOT_COVERED, subject, "no MX records");
    }
    List<String> uncovered = mxHosts.stream().filter(h -> !policy.covers(h)).toList();
    List<String> unused =
        policy.mx().stream()
            .filter(p -> mxHosts.stream().noneMatch(h -> StsPolicy.matches(p, h)))
            .toList();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("uncovered", String.join(",", uncovered));
    facts.put("unused_patterns", String.join(",", unused));
    String note =
        unused.isEmpty()
            ? ""
            : " (patterns matching no MX record: " + String.join(", ", unused) + ")";
    if (uncovered.isEmpty()) {
      return Finding.ok(
          MX_NOT_COVERED,
          subject,
          "all " + mxHosts.size() + " MX hosts are covered by the policy" + note,
          facts);
    }
    String message =
        uncovered.size()
            + " of "
            + mxHosts.size()
            + " MX hosts not covered by the policy: "
            + String.join(", ", uncovered)
            + note;
    String remedy =
        "add an mx line for each (or remove them from the MX records), then change the id in the"
            + " _mta-sts record so senders fetch the new policy";
    return switch (policy.mode()) {
      case "enforce" ->
          new Finding(
              MX_NOT_COVERED,
              Status.FAIL,
              subject,
              message + ": senders refuse to deliver to them",
              remedy,
              facts);
      case "testing" ->
          new Finding(
              MX_NOT_COVERED,
              Status.WARN,
              subject,
              message + ": reported as failures, refused once enforced",
              remedy,
              facts);
      default -> Finding.ok(MX_NOT_COVERED, subject, message + " (mode none)", facts);
    };
  }

  /**
   * Whether every sender's latest report shows the current policy. A different one means the sender
   * still holds an older policy: the id in _mta-sts was not changed with the policy, or the old
   * max_age has not run out yet.
   */
  static Finding reportedPolicy(
      String subject, StsPolicy policy, List<ReportedPolicies.Reported> latest) {
    if (latest.isEmpty()) {
      return Finding.ok(
          REPORTED_POLICY,
          subject,
          "no sts report on this domain in the last 30 days to compare with",
          Map.of("organizations", "0"));
    }
    List<String> current = normalized(policy.lines());
    List<String> stale = new ArrayList<>();
    for (ReportedPolicies.Reported r : latest) {
      if (!normalized(r.policyStrings()).equals(current)) {
        stale.add(r.organization());
      }
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("organizations", Integer.toString(latest.size()));
    facts.put("other_policy", String.join(",", stale));
    if (stale.isEmpty()) {
      return Finding.ok(
          REPORTED_POLICY,
          subject,
          "the latest report of each of "
              + latest.size()
              + " sending organizations shows the current policy",
          facts);
    }
    return new Finding(
        REPORTED_POLICY,
        Status.WARN,
        subject,
        stale.size()
            + " of "
            + latest.size()
            + " sending organizations applied a policy other than the current one in their"
            + " latest report: "
            + String.join(", ", stale),
        "if the policy changed, change the id in the _mta-sts record so senders fetch it again;"
            + " otherwise senders keep the old policy until its max_age runs out",
        facts);
  }

  /** Lines as "key: value", lower-case, without empty lines, sorted: order and case aside. */
  static List<String> normalized(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      String s = l.strip();
      if (s.isEmpty()) {
        continue;
      }
      int colon = s.indexOf(':');
      out.add(
          (colon < 0 ? s : s.substring(0, colon).strip() + ": " + s.substring(colon + 1).strip())
              .toLowerCase(Locale.ROOT));
    }
    out.sort(null);
    return out;
  }
}

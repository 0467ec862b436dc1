package org.tlsrpt.alerting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.PolicyType;
import org.tlsrpt.parser.model.StsMode;
import org.tlsrpt.parser.model.TlsReport;
import org.tlsrpt.storage.Alert;

/**
 * The rule evaluated as reports are stored: one alert per (policy domain, organization, result
 * type) failing under a policy that refuses mail (an sts policy in enforce mode, or DANE, which is
 * always enforced). The scheduled safety net ({@link ScheduledRules}) raises the same alert. It
 * links to the domain's readiness detail on the dashboard, which shows the mail refused by sender
 * and cause and whether going back to testing would be warranted.
 */
final class EnforceFailures {
  static final String RULE = AlertRule.ENFORCE_FAILURES.wire();

  private final DashboardLink link;

  EnforceFailures(DashboardLink link) {
    this.link = link;
  }

  /** The alerts of a batch of reports. */
  List<Alert> in(List<ParsedReport> reports) {
    Map<String, FailureGroup> acc = new LinkedHashMap<>();
    for (ParsedReport pr : reports) {
      TlsReport r = pr.report();
      for (PolicyResult p : r.policies()) {
        String mode = enforcedMode(p);
        if (mode == null || p.failedSessions() == 0) {
          continue;
        }
        String domain = p.policyDomain() == null ? "" : p.policyDomain();
        if (p.failures().isEmpty()) {
          acc.computeIfAbsent(
                  key(domain, r.organizationName(), "unspecified"),
                  k -> new FailureGroup(domain, r.organizationName(), mode, "unspecified"))
              .add(null, p.failedSessions(), r);
        }
        for (FailureDetail f : p.failures()) {
          String result = f.resultType().wire();
          acc.computeIfAbsent(
                  key(domain, r.organizationName(), result),
                  k -> new FailureGroup(domain, r.organizationName(), mode, result))
              .add(f.receivingMxHostname(), f.failedSessionCount(), r);
        }
      }
    }
    List<Alert> out = new ArrayList<>();
    for (FailureGroup a : acc.values()) {
      out.add(
          alert(a.domain, a.org, a.mode, a.result, List.copyOf(a.mx), a.failed, a.start, a.end));
    }
    return out;
  }

  /** What the alert is keyed by: one per domain, organization and result type. */
  static String key(String domain, String org, String result) {
    return domain + "|" + org + "|" + result;
  }

  Alert alert(
      String domain,
      String org,
      String mode,
      String result,
      List<String> mx,
      long failed,
      Instant start,
      Instant end) {
    return new Alert(
        RULE,
        key(domain, org, result),
        domain,
        org,
        mode,
        List.of(result),
        mx,
        failed,
        start,
        end,
        String.format(
            "%s: %,d session(s) from %s failed (%s) under the %s policy: that mail is refused",
            domain, failed, org, result, mode),
        link.readiness(domain, org));
  }

  /** "enforce" for an STS policy in enforce mode, "dane" for TLSA; null when nothing is refused. */
  private static String enforcedMode(PolicyResult p) {
    if (p.policyType().known() == PolicyType.Known.TLSA) {
      return "dane";
    }
    return p.mode() == StsMode.ENFORCE ? "enforce" : null;
  }
}

package org.tlsrpt.posture.dane;

import static org.tlsrpt.posture.dane.Verdicts.facts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.PostureChecker;
import org.tlsrpt.posture.Status;

/**
 * Cross-checks of DANE with MTA-STS ({@code cross.dane_and_sts}) and with what senders reported
 * ({@code cross.reported_dane}): each reported DANE failure is shown on the finding that explains
 * it, and summed up in one finding.
 */
final class ReportedDane {
  private static final Logger LOG = LoggerFactory.getLogger(ReportedDane.class);
  static final String BOTH = "cross.dane_and_sts";
  static final String REPORTED = "cross.reported_dane";

  private ReportedDane() {}

  /** Both verdicts stand when DANE and MTA-STS are published; null when not both are. */
  static Finding withSts(String domain, int daneHosts, int mxHosts, List<Finding> before) {
    String mode =
        before.stream()
            .filter(f -> f.id().equals("policy.mode") && f.facts().containsKey("mode"))
            .map(f -> f.facts().get("mode"))
            .findFirst()
            .orElse(null);
    if (daneHosts == 0 || mode == null) {
      return null;
    }
    return Verdicts.ok(
        BOTH,
        domain,
        "both DANE ("
            + daneHosts
            + " of "
            + mxHosts
            + " MX hosts with TLSA records) and MTA-STS (mode "
            + mode
            + "): senders that validate DNSSEC use DANE and skip MTA-STS (RFC 8461 §2), the others"
            + " use MTA-STS; both sets of findings above apply",
        facts("dane_hosts", Integer.toString(daneHosts), "sts_mode", mode));
  }

  /**
   * The findings with each reported failure added to the finding that explains it, and a summary
   * finding. With {@code quiet} (DANE does not apply, or the MX records are bogus) the summary is
   * added only when something was reported, so that a domain without DNSSEC keeps one finding.
   */
  static List<Finding> attach(
      List<Finding> findings,
      String domain,
      List<String> mxHosts,
      ReportedDaneFailures reports,
      Instant now,
      boolean quiet) {
    String subject = "reports on " + domain;
    if (reports instanceof ReportedDaneFailures.Unavailable(String reason)) {
      if (!quiet) {
        findings.add(
            Verdicts.notChecked(REPORTED, subject, "stored reports not checked: " + reason));
      }
      return findings;
    }
    List<ReportedDaneFailures.Reported> reported;
    try {
      reported = reports.since(domain, mxHosts, now.minus(PostureChecker.REPORT_WINDOW));
    } catch (RuntimeException e) {
      LOG.warn("check domain={} outcome=reports_unavailable error={}", domain, e.toString());
      findings.add(
          Verdicts.notChecked(
              REPORTED,
              subject,
              "stored reports not checked: the store did not answer (" + e.getMessage() + ")"));
      return findings;
    }
    if (reported.isEmpty()) {
      if (!quiet) {
        findings.add(
            Verdicts.ok(
                REPORTED,
                subject,
                "no DANE failure (tlsa-invalid, dnssec-invalid, dane-required) reported in the last"
                    + " 30 days",
                facts("organizations", "0")));
      }
      return findings;
    }
    Map<Integer, List<ReportedDaneFailures.Reported>> byFinding = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    List<String> orgs = new ArrayList<>();
    for (ReportedDaneFailures.Reported r : reported) {
      int i = explaining(findings, domain, r);
      String line =
          r.organization()
              + " "
              + r.resultType()
              + (r.mxHost().isEmpty() ? "" : " for " + r.mxHost())
              + " ("
              + r.sessions()
              + " sessions, last "
              + r.lastDateEnd()
              + ")";
      if (i >= 0) {
        byFinding.computeIfAbsent(i, k -> new ArrayList<>()).add(r);
        Finding f = findings.get(i);
        line += ", explained by " + f.id() + " (" + f.status().label() + ") for " + f.subject();
      } else {
        line += ", explained by no current finding: fixed since, or intermittent";
      }
      lines.add(line);
      if (!orgs.contains(r.organization())) {
        orgs.add(r.organization());
      }
    }
    for (Map.Entry<Integer, List<ReportedDaneFailures.Reported>> e : byFinding.entrySet()) {
      List<String> said =
          e.getValue().stream()
              .map(
                  r -> r.organization() + " " + r.resultType() + " (" + r.sessions() + " sessions)")
              .toList();
      findings.set(
          e.getKey(),
          Verdicts.extended(
              findings.get(e.getKey()),
              "; reported by senders in the last 30 days: " + String.join(", ", said),
              Map.of("reported", String.join(",", said))));
    }
    findings.add(
        Verdicts.warn(
            REPORTED,
            subject,
            orgs.size()
                + " sending organization"
                + (orgs.size() == 1 ? "" : "s")
                + " reported DANE failures in the last 30 days: "
                + String.join("; ", lines),
            "fix what the explaining findings say; failures no finding explains may have been"
                + " fixed since (compare the report dates) or come from a sender's stale cache",
            facts("organizations", Integer.toString(orgs.size()))));
    return findings;
  }

  /** The index of the finding that explains a reported failure, or -1. */
  private static int explaining(
      List<Finding> findings, String domain, ReportedDaneFailures.Reported r) {
    String host = r.mxHost();
    List<String[]> candidates =
        switch (r.resultType()) {
          case "tlsa-invalid" ->
              List.of(
                  new String[] {TlsaFindings.MATCH, host},
                  new String[] {TlsaFindings.RECORDS, "_25._tcp." + host},
                  new String[] {DnssecFindings.DNSSEC, host});
          case "dnssec-invalid" ->
              List.of(
                  new String[] {DnssecFindings.DNSSEC, host},
                  new String[] {DnssecFindings.DNSSEC, domain},
                  new String[] {DnssecFindings.SIGNATURES, domain});
          default -> // dane-required: the host or the domain where DANE does not apply
              List.of(
                  new String[] {DnssecFindings.DNSSEC, host},
                  new String[] {DnssecFindings.DNSSEC, domain});
        };
    for (String[] c : candidates) {
      for (int i = 0; i < findings.size(); i++) {
        Finding f = findings.get(i);
        boolean bad = f.status() == Status.FAIL || f.status() == Status.WARN;
        boolean noDane =
            r.resultType().equals("dane-required")
                && (!"secure".equals(f.facts().get("security"))
                    || "0".equals(f.facts().get("tlsa_records")));
        if (f.id().equals(c[0]) && f.subject().equals(c[1]) && (bad || noDane)) {
          return i;
        }
      }
    }
    return -1;
  }
}

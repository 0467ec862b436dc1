package org.tlsrpt.readiness;

import java.util.Locale;
import org.tlsrpt.storage.PostureHistory;
import org.tlsrpt.storage.ReadinessQueries.FailureGroup;

/** The words of the verdict: the reasons, what to do about each, and figures for people. */
final class Sentences {
  private Sentences() {}

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String share(long part, long whole) {
    return whole == 0 ? "0.00%" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
  }

  static String days(long n) {
    return count(n) + (n == 1 ? " day" : " days");
  }

  /**
   * "Microsoft Corporation reports certificate-host-mismatch on backup.example.net: 120 of 4,000
   * sessions (3.00%) would be refused under enforce; it says "certificate is for ...""
   */
  static Reason failure(FailureGroup g, long sessions, boolean enforce, String domain) {
    String text =
        g.organization()
            + " reports "
            + g.resultType()
            + (g.mxHost().isEmpty() ? " on an MX host it does not name" : " on " + g.mxHost())
            + ": "
            + count(g.sessions())
            + " of "
            + count(sessions)
            + " sessions ("
            + share(g.sessions(), sessions)
            + (enforce ? ") refused" : ") would be refused under enforce")
            + (g.additionalInformation() == null || g.additionalInformation().isBlank()
                ? ""
                : "; it says \"" + g.additionalInformation() + "\"");
    return new Reason(Reason.FAILURES, text, remedy(g, domain));
  }

  /** What to do about failures of one result type at one MX host. */
  static String remedy(FailureGroup g, String domain) {
    String mx = g.mxHost().isEmpty() ? "the MX hosts" : g.mxHost();
    String policy = "https://mta-sts." + domain + "/.well-known/mta-sts.txt";
    return switch (g.resultType()) {
      case "certificate-host-mismatch" ->
          "give " + mx + " a certificate whose subjectAltName names " + mx;
      case "certificate-expired" -> "renew the certificate of " + mx + " and automate its renewal";
      case "certificate-not-trusted" ->
          "have " + mx + " send a certificate from a public CA, with its intermediate certificates";
      case "starttls-not-supported" -> "offer STARTTLS on " + mx + ", on every address it has";
      case "validation-failure" ->
          "run tlsrpt check " + domain + ": the TLS handshake with " + mx + " failed validation";
      case "sts-policy-fetch-error" ->
          "serve the policy at " + policy + " with status 200 and no redirect";
      case "sts-policy-invalid" ->
          "fix the policy file at " + policy + " (tlsrpt check " + domain + " names the line)";
      case "sts-webpki-invalid" ->
          "give mta-sts." + domain + " a certificate from a public CA that names it";
      case "tlsa-invalid", "dnssec-invalid", "dane-required" ->
          "fix the DANE records of " + mx + " (tlsrpt check " + domain + ")";
      default ->
          "read the failure details "
              + g.organization()
              + " sends for "
              + domain
              + " (dashboard, Failure details) and ask it what failed";
    };
  }

  /** "Mail.ru has not reported since 2026-03-02 (8 days): what it sends now is not known" */
  static Reason silent(Assessment.ReporterState r, long daysSince, String domain) {
    return new Reason(
        Reason.SILENT,
        r.organization()
            + " has not reported since "
            + r.lastDay()
            + " ("
            + days(daysSince)
            + "): what it sends now is not known",
        "find out whether "
            + r.organization()
            + " still sends mail to "
            + domain
            + " and whether its reports reach the rua of _smtp._tls."
            + domain);
  }

  /** "mx.certificate_expiry FAIL on mx2.example.com: the certificate expired 2 days ago" */
  static Reason posture(PostureHistory.Finding f) {
    return new Reason(
        Reason.POSTURE,
        "posture check "
            + f.finding()
            + " "
            + f.status()
            + (f.subject().isEmpty() ? "" : " on " + f.subject())
            + ": "
            + f.message(),
        f.remedy().isEmpty() ? "run tlsrpt check " + f.domain() : f.remedy());
  }
}

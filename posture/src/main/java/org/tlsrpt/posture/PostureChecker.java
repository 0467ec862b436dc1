package org.tlsrpt.posture;

import java.net.InetAddress;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diagnoses a domain's MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) set-up the way a sending MTA sees
 * it: the DNS records, the policy file, every MX host's STARTTLS and certificate, and whether the
 * policy covers the MX records. Thread-safe; each {@link #check} uses its own DNS probe and
 * connections. Finding ids are stable (see docs/cli.md).
 */
public final class PostureChecker {
  private static final Logger LOG = LoggerFactory.getLogger(PostureChecker.class);
  private static final Pattern DOMAIN =
      Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}");

  /** How far back stored reports are read for {@code cross.reported_policy}. */
  public static final Duration REPORT_WINDOW = Duration.ofDays(30);

  private final CheckOptions options;
  private final ReportedPolicies reports;
  private final CertificateChecks certificates;
  private final DaneStep dane;

  /** A checker that does not look at stored reports. */
  public PostureChecker(CheckOptions options) {
    this(options, ReportedPolicies.unavailable("no report store given"));
  }

  /**
   * @throws IllegalArgumentException when the trust store cannot be read
   */
  public PostureChecker(CheckOptions options, ReportedPolicies reports) {
    this(
        options,
        reports,
        DaneStep.notChecked("DNSSEC and DANE not checked: no DANE step given to this checker"));
  }

  /**
   * A checker with its DANE step (DNSSEC and TLSA; {@code org.tlsrpt.posture.dane.DaneCheck}).
   *
   * @throws IllegalArgumentException when the trust store cannot be read
   */
  public PostureChecker(CheckOptions options, ReportedPolicies reports, DaneStep dane) {
    this.options = options;
    this.dane = dane;
    this.reports = reports;
    Set<TrustAnchor> anchors =
        CertificateChecks.anchors(options.trustStore(), options.trustStorePassword());
    this.certificates = new CertificateChecks(anchors, options.clock(), options.expiryWarnDays());
  }

  /** The domain as checked: lower-case, without a trailing dot; null when it is not a name. */
  public static String normalize(String domain) {
    String d = domain.strip().toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    return DOMAIN.matcher(d).matches() ? d : null;
  }

  /**
   * Checks one domain. Network trouble becomes findings, never an exception.
   *
   * @throws IllegalArgumentException when {@code domain} is not a domain name
   */
  public CheckResult check(String domain) {
    String d = normalize(domain);
    if (d == null) {
      throw new IllegalArgumentException("'" + domain + "' is not a domain name");
    }
    Instant at = options.clock().instant();
    DnsProbe dns = new DnsProbe(options);
    List<Finding> out = new ArrayList<>();

    out.add(txtRecord(dns, "_mta-sts." + d, true));
    out.add(txtRecord(dns, "_smtp._tls." + d, false));
    List<DnsProbe.Mx> mxs = mxRecords(dns, d, out);
    Map<String, List<InetAddress>> addresses = new LinkedHashMap<>();
    for (DnsProbe.Mx mx : mxs) {
      addresses.put(mx.host(), address(dns, mx.host(), out));
    }

    StsPolicy policy = policy(dns, d, out);

    Map<String, List<X509Certificate>> chains = new LinkedHashMap<>();
    for (DnsProbe.Mx mx : mxs) {
      out.add(policyMatch(policy, mx.host()));
      List<InetAddress> a = addresses.get(mx.host());
      if (a.isEmpty()) {
        for (String id :
            List.of(
                SmtpProbe.SMTP,
                SmtpProbe.STARTTLS,
                "mx.certificate_trust",
                "mx.certificate_name",
                "mx.certificate_expiry")) {
          out.add(Finding.notChecked(id, mx.host(), "the host has no address"));
        }
        continue;
      }
      SmtpProbe.Probed probed = new SmtpProbe(options).probe(mx.host(), a);
      out.addAll(probed.findings());
      chains.put(mx.host(), probed.chain());
      if (probed.chain().isEmpty()) {
        for (String id :
            List.of("mx.certificate_trust", "mx.certificate_name", "mx.certificate_expiry")) {
          out.add(Finding.notChecked(id, mx.host(), "no TLS session"));
        }
      } else {
        out.addAll(certificates.judge("mx", mx.host(), probed.chain()));
      }
    }

    out.addAll(dane.check(d, mxs.stream().map(DnsProbe.Mx::host).toList(), chains, out));
    out.add(CrossChecks.mxCoverage(policy, mxs.stream().map(DnsProbe.Mx::host).toList()));
    out.add(reportedPolicy(d, policy, at));
    return new CheckResult(d, at, out);
  }

  private Finding txtRecord(DnsProbe dns, String owner, boolean sts) {
    String id = sts ? DnsRecordChecks.STS_TXT : DnsRecordChecks.TLSRPT_TXT;
    return switch (dns.txt(owner)) {
      case DnsProbe.Answer.Found<String>(List<String> values) ->
          sts
              ? DnsRecordChecks.stsRecord(owner, values)
              : DnsRecordChecks.tlsrptRecord(owner, values);
      case DnsProbe.Answer.Missing<String> m -> {
        Finding f =
            sts
                ? DnsRecordChecks.stsRecord(owner, List.of())
                : DnsRecordChecks.tlsrptRecord(owner, List.of());
        yield m.nxdomain()
            ? new Finding(
                id,
                f.status(),
                owner,
                owner + " does not exist (NXDOMAIN): " + f.message(),
                f.remedy(),
                f.facts())
            : f;
      }
      case DnsProbe.Answer.Failed<String> f ->
          Finding.fail(
              id,
              owner,
              "TXT lookup failed: " + f.reason(),
              "make sure the domain's name servers answer for " + owner);
    };
  }

  private static List<DnsProbe.Mx> mxRecords(DnsProbe dns, String d, List<Finding> out) {
    switch (dns.mx(d)) {
      case DnsProbe.Answer.Found<DnsProbe.Mx>(List<DnsProbe.Mx> values) -> {
        List<DnsProbe.Mx> hosts =
            values.stream()
                .filter(m -> !m.host().isEmpty() && !m.host().equals("."))
                .sorted(
                    Comparator.comparingInt(DnsProbe.Mx::preference)
                        .thenComparing(DnsProbe.Mx::host))
                .distinct()
                .toList();
        if (hosts.isEmpty()) {
          out.add(
              Finding.warn(
                  "dns.mx",
                  d,
                  "null MX record (RFC 7505): the domain accepts no mail, so MTA-STS has nothing"
                      + " to protect",
                  "if the domain should receive mail, publish MX records"));
          return List.of();
        }
        String list =
            String.join(", ", hosts.stream().map(m -> m.preference() + " " + m.host()).toList());
        out.add(
            Finding.ok(
                "dns.mx",
                d,
                hosts.size() + " MX record" + (hosts.size() == 1 ? "" : "s") + ": " + list,
                Map.of(
                    "mx_hosts", String.join(",", hosts.stream().map(DnsProbe.Mx::host).toList()))));
        return hosts;
      }
      case DnsProbe.Answer.Missing<DnsProbe.Mx> m -> {
        out.add(
            Finding.fail(
                "dns.mx",
                d,
                m.nxdomain() ? d + " does not exist (NXDOMAIN)" : "no MX record",
                "publish MX records for " + d + " naming hosts that the policy's mx lines match"));
        return List.of();
      }
      case DnsProbe.Answer.Failed<DnsProbe.Mx> f -> {
        out.add(
            Finding.fail(
                "dns.mx",
                d,
                "MX lookup failed: " + f.reason(),
                "make sure the domain's name servers answer"));
        return List.of();
      }
    }
  }

  private static List<InetAddress> address(DnsProbe dns, String host, List<Finding> out) {
    return switch (dns.addresses(host)) {
      case DnsProbe.Answer.Found<InetAddress>(List<InetAddress> values) -> {
        String list = String.join(", ", values.stream().map(InetAddress::getHostAddress).toList());
        out.add(Finding.ok("dns.address", host, list, Map.of("addresses", list)));
        yield values;
      }
      case DnsProbe.Answer.Missing<InetAddress> m -> {
        out.add(
            Finding.fail(
                "dns.address",
                host,
                "the MX host has no A or AAAA record" + (m.nxdomain() ? " (NXDOMAIN)" : ""),
                "publish an address for " + host + ", or remove it from the MX records"));
        yield List.of();
      }
      case DnsProbe.Answer.Failed<InetAddress> f -> {
        out.add(
            Finding.fail(
                "dns.address",
                host,
                "address lookup failed: " + f.reason(),
                "make sure the name servers of " + host + " answer"));
        yield List.of();
      }
    };
  }

  private StsPolicy policy(DnsProbe dns, String d, List<Finding> out) {
    PolicyFetcher.Fetched fetched = new PolicyFetcher(options, certificates).fetch(d, dns);
    out.addAll(fetched.findings());
    String url = "https://mta-sts." + d + PolicyFetcher.PATH;
    if (fetched.body() == null) {
      out.add(Finding.notChecked("policy.syntax", url, "no policy was fetched"));
      out.add(Finding.notChecked("policy.mode", url, "no policy was fetched"));
      return null;
    }
    return switch (StsPolicy.parse(fetched.body())) {
      case StsPolicy.Outcome.Invalid(List<String> problems) -> {
        out.add(
            Finding.fail(
                    "policy.syntax",
                    url,
                    "invalid policy: " + String.join("; ", problems),
                    "write the policy as RFC 8461 §3.2 says: 'version: STSv1', 'mode: ...', one"
                        + " 'mx: ...' line per MX pattern, 'max_age: SECONDS', one per line")
                .with("problems", Integer.toString(problems.size())));
        out.add(Finding.notChecked("policy.mode", url, "the policy is invalid"));
        yield null;
      }
      case StsPolicy.Outcome.Parsed(StsPolicy p, List<String> warnings) -> {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("mode", p.mode());
        facts.put("max_age", Long.toString(p.maxAge()));
        facts.put("mx", String.join(",", p.mx()));
        List<String> notes = new ArrayList<>(warnings);
        if (p.maxAge() < 86_400) {
          notes.add(
              "max_age "
                  + p.maxAge()
                  + " is under a day: senders re-fetch often and a"
                  + " downgrade attack needs to wait little");
        }
        String summary =
            "mode " + p.mode() + ", max_age " + p.maxAge() + ", mx " + String.join(" ", p.mx());
        out.add(
            notes.isEmpty()
                ? Finding.ok("policy.syntax", url, "valid: " + summary, facts)
                : Finding.warn(
                        "policy.syntax",
                        url,
                        "valid (" + summary + ") but: " + String.join("; ", notes),
                        "remove unknown or repeated fields; use a max_age of a week or more"
                            + " (604800) once the policy is stable")
                    .with(facts));
        out.add(CrossChecks.mode(url, p));
        yield p;
      }
    };
  }

  private static Finding policyMatch(StsPolicy policy, String host) {
    if (policy == null) {
      return Finding.notChecked("mx.policy_match", host, "no valid policy");
    }
    for (String pattern : policy.mx()) {
      if (StsPolicy.matches(pattern, host)) {
        return Finding.ok(
            "mx.policy_match", host, "matched by mx: " + pattern, Map.of("pattern", pattern));
      }
    }
    String message =
        "no mx pattern of the policy ("
            + String.join(", ", policy.mx())
            + ") matches "
            + host
            + (policy.mode().equals("enforce")
                ? ": senders applying the policy refuse to deliver to it"
                : "");
    String remedy =
        "add 'mx: "
            + host
            + "' (or a matching *. pattern) to the policy and change the id in the _mta-sts record";
    return switch (policy.mode()) {
      case "enforce" -> Finding.fail("mx.policy_match", host, message, remedy);
      case "testing" -> Finding.warn("mx.policy_match", host, message, remedy);
      default -> Finding.ok("mx.policy_match", host, message + " (mode none: not applied)");
    };
  }

  private Finding reportedPolicy(String d, StsPolicy policy, Instant at) {
    String subject = "reports on " + d;
    if (reports instanceof ReportedPolicies.Unavailable(String reason)) {
      return Finding.notChecked(
          CrossChecks.REPORTED_POLICY, subject, "stored reports not checked: " + reason);
    }
    if (policy == null) {
      return Finding.notChecked(
          CrossChecks.REPORTED_POLICY, subject, "no valid policy to compare the reports with");
    }
    List<ReportedPolicies.Reported> latest;
    try {
      latest = reports.latest(d, at.minus(REPORT_WINDOW));
    } catch (RuntimeException e) {
      LOG.warn("check domain={} outcome=reports_unavailable error={}", d, e.toString());
      return Finding.notChecked(
          CrossChecks.REPORTED_POLICY,
          subject,
          "stored reports not checked: the store did not answer (" + e.getMessage() + ")");
    }
    return CrossChecks.reportedPolicy(subject, policy, latest);
  }
}

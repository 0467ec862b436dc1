package org.tlsrpt.posture.dane;

import static org.tlsrpt.posture.dane.Verdicts.facts;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tlsrpt.posture.CheckOptions;
import org.tlsrpt.posture.DaneStep;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.dane.DnssecResolver.Security;
import org.tlsrpt.posture.dane.DnssecResolver.Validated;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * The DANE part of the posture check, as a DANE-capable sender decides (RFC 7672 §2.2): the MX
 * records must validate as secure, then each MX host's addresses, then its TLSA records at {@code
 * _25._tcp.HOST}; the usable records must match the chain the host presents after STARTTLS. A
 * domain without DNSSEC costs one validated query and gets one finding: DANE does not apply.
 * Thread-safe; each {@link #check} uses its own validating resolver.
 */
public final class DaneCheck implements DaneStep {
  private final CheckOptions options;
  private final DaneSettings settings;
  private final ReportedDaneFailures reports;

  /**
   * @throws IllegalArgumentException when the trust anchor cannot be read
   */
  public DaneCheck(CheckOptions options, DaneSettings settings, ReportedDaneFailures reports) {
    this.options = options;
    this.settings = settings;
    this.reports = reports;
    if (settings.enabled()) {
      new DnssecResolver(options, settings); // reads the trust anchor now, to fail at start
    }
  }

  /** DANE checked from the root's keys, without stored reports. */
  public static DaneCheck defaults(CheckOptions options) {
    return new DaneCheck(
        options,
        DaneSettings.defaults(),
        ReportedDaneFailures.unavailable("no report store given"));
  }

  /**
   * The {@code dane.*} findings of a domain and the cross-checks with MTA-STS and the reports.
   *
   * @param mxHosts the MX hosts, by preference
   * @param chains the chain each host presented after STARTTLS (leaf first); absent or empty when
   *     there was no TLS session
   * @param before the findings of the check so far (the MTA-STS mode, the certificate names)
   */
  @Override
  public List<Finding> check(
      String domain,
      List<String> mxHosts,
      Map<String, List<X509Certificate>> chains,
      List<Finding> before) {
    String subject = domain;
    if (!settings.enabled()) {
      return List.of(
          Verdicts.notChecked(
              DnssecFindings.DNSSEC, subject, "DNSSEC and DANE not checked: check.dane is false"));
    }
    if (mxHosts.isEmpty()) {
      return List.of(
          Verdicts.notChecked(DnssecFindings.DNSSEC, subject, "no MX host to check DANE for"));
    }
    DnssecResolver dns = new DnssecResolver(options, settings);
    DnssecFindings dnssec = new DnssecFindings(dns);
    List<Finding> out = new ArrayList<>();
    Validated mx = dns.query(domain, Type.MX);
    switch (mx.security()) {
      case FAILED -> {
        out.add(
            Verdicts.notChecked(
                DnssecFindings.DNSSEC, subject, "DNSSEC not checked: " + mx.reason()));
        return out;
      }
      case BOGUS -> {
        if (!dns.anchorUsable()) {
          out.add(
              Verdicts.notChecked(
                  DnssecFindings.DNSSEC,
                  subject,
                  "DNSSEC not checked: "
                      + dns.description()
                      + " does not give validatable keys for the trust anchor "
                      + dns.anchors()
                      + " (it does not pass DNSSEC records, or the anchor is not its zone's);"
                      + " point check.dns_server at a DNSSEC-aware resolver"));
          return out;
        }
        out.add(
            dnssec.bogus(
                subject,
                domain,
                Type.MX,
                mx,
                "DANE senders defer all mail to " + domain + " (dnssec-invalid)"));
        return ReportedDane.attach(out, domain, mxHosts, reports, dns.clock().instant(), true);
      }
      case INSECURE -> {
        out.add(dnssec.insecure(subject, domain + "'s MX records", mx));
        return ReportedDane.attach(out, domain, mxHosts, reports, dns.clock().instant(), true);
      }
      case SECURE ->
          out.add(
              Verdicts.ok(
                  DnssecFindings.DNSSEC,
                  subject,
                  "secure: "
                      + domain
                      + "'s MX records validate from the trust anchor "
                      + dns.anchors(),
                  facts("security", "secure")));
    }
    List<Validated> secure = new ArrayList<>(List.of(mx));
    int daneHosts = 0;
    for (String host : mxHosts) {
      HostOutcome h = host(dns, dnssec, host);
      out.add(h.finding());
      secure.addAll(h.secure());
      if (h.tlsa() != null) {
        daneHosts++;
        out.addAll(
            TlsaFindings.judge(
                host,
                h.tlsa(),
                chains.getOrDefault(host, List.of()),
                before,
                dns.clock().instant(),
                options.expiryWarnDays()));
      }
    }
    out.add(dnssec.signatureExpiry(subject, secure, settings.signatureWarnDays()));
    Finding both = ReportedDane.withSts(domain, daneHosts, mxHosts.size(), before);
    if (both != null) {
      out.add(both);
    }
    return ReportedDane.attach(out, domain, mxHosts, reports, dns.clock().instant(), false);
  }

  private static HostOutcome host(DnssecResolver dns, DnssecFindings dnssec, String host) {
    Validated a = dns.query(host, Type.A);
    Validated aaaa = dns.query(host, Type.AAAA);
    for (Validated v : List.of(a, aaaa)) {
      if (v.security() == Security.BOGUS) {
        int type = v == a ? Type.A : Type.AAAA;
        return new HostOutcome(
            dnssec.bogus(
                host, host, type, v, "DANE senders cannot use this MX host (dnssec-invalid)"),
            List.of(),
            null);
      }
    }
    for (Validated v : List.of(a, aaaa)) {
      if (v.security() == Security.FAILED) {
        return new HostOutcome(
            Verdicts.notChecked(DnssecFindings.DNSSEC, host, "DNSSEC not checked: " + v.reason()),
            List.of(),
            null);
      }
    }
    if (a.security() == Security.INSECURE || aaaa.security() == Security.INSECURE) {
      Validated v = a.security() == Security.INSECURE ? a : aaaa;
      return new HostOutcome(
          dnssec.insecure(host, host + "'s address records", v), List.of(), null);
    }
    String owner = "_25._tcp." + host;
    Validated tlsa = dns.query(owner, Type.TLSA);
    List<Validated> secure = new ArrayList<>(List.of(a, aaaa));
    return switch (tlsa.security()) {
      case BOGUS ->
          new HostOutcome(
              dnssec.bogus(
                  host,
                  owner,
                  Type.TLSA,
                  tlsa,
                  "DANE senders defer mail to this MX host (dnssec-invalid)"),
              secure,
              null);
      case FAILED ->
          new HostOutcome(
              Verdicts.notChecked(
                  DnssecFindings.DNSSEC, host, "TLSA lookup failed: " + tlsa.reason()),
              secure,
              null);
      case INSECURE ->
          new HostOutcome(
              dnssec.insecure(host, "the TLSA records at " + owner, tlsa), secure, null);
      case SECURE -> {
        secure.add(tlsa);
        List<TlsaRecord> records = new ArrayList<>();
        for (var r : tlsa.records()) {
          records.add(TlsaRecord.of((TLSARecord) r));
        }
        // a stable order whatever order the server answers in: findings compare across runs
        records.sort(java.util.Comparator.comparing(TlsaRecord::text));
        if (records.isEmpty()) {
          yield new HostOutcome(
              Verdicts.ok(
                  DnssecFindings.DNSSEC,
                  host,
                  "secure, but no TLSA records at "
                      + owner
                      + " (proved "
                      + (tlsa.nxdomain() ? "NXDOMAIN" : "NODATA")
                      + "): DANE does not apply to this MX host",
                  facts("security", "secure", "tlsa_records", "0")),
              secure,
              null);
        }
        yield new HostOutcome(
            Verdicts.ok(
                DnssecFindings.DNSSEC,
                host,
                "secure: the addresses of "
                    + host
                    + " and its "
                    + records.size()
                    + " TLSA record"
                    + (records.size() == 1 ? "" : "s")
                    + " validate",
                facts("security", "secure", "tlsa_records", Integer.toString(records.size()))),
            secure,
            records);
      }
    };
  }
}

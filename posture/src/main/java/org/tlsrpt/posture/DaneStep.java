package org.tlsrpt.posture;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * The DANE step of a check (DNSSEC and TLSA, in {@code org.tlsrpt.posture.dane}), run after every
 * MX host has been probed so that it can match the chains they presented.
 */
public interface DaneStep {

  /**
   * The step's findings.
   *
   * @param mxHosts the MX hosts, by preference
   * @param chains the chain each host presented after STARTTLS (leaf first); absent or empty
   *     without a TLS session
   * @param before the findings of the check so far
   */
  List<Finding> check(
      String domain,
      List<String> mxHosts,
      Map<String, List<X509Certificate>> chains,
      List<Finding> before);

  /** A step that checks nothing and says why in one {@code dane.dnssec} finding. */
  static DaneStep notChecked(String why) {
    return (domain, mxHosts, chains, before) ->
        List.of(Finding.notChecked("dane.dnssec", domain, why));
  }
}

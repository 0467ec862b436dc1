package org.tlsrpt.readiness;

import java.util.Set;
import org.tlsrpt.storage.PostureHistory;

/**
 * Which findings of a posture check would turn into failed (refused) sessions under {@code mode:
 * enforce}: any MTA-STS finding that fails, and the warnings that enforce turns into failures or
 * that soon will be (an MX host no {@code mx} line covers, a certificate near expiry). DANE and
 * TLS-RPT findings are left out: enforcing MTA-STS does not change them.
 */
final class PostureFindings {
  private static final Set<String> WARNINGS_THAT_BLOCK =
      Set.of("cross.mx_not_covered", "mx.certificate_expiry", "policy.certificate_expiry");

  private PostureFindings() {}

  static boolean blocksEnforce(PostureHistory.Finding f) {
    String id = f.finding();
    if (id.startsWith("dane.")
        || id.contains("dane")
        || id.equals("dns.tlsrpt_txt")
        || id.equals("policy.mode")
        || id.equals("cross.reported_policy")
        || id.equals("mx.policy_match")) { // cross.mx_not_covered says it once for all MX hosts
      return false;
    }
    return f.status().equals("FAIL")
        || (f.status().equals("WARN") && WARNINGS_THAT_BLOCK.contains(id));
  }
}

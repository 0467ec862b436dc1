package org.tlsrpt.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.ReportKey;

/** Stable identifiers derived from report content, the same in every process and language. */
final class ReportKeys {
  private ReportKeys() {}

  /** 32 hex characters of SHA-256 over organization, report-id, start and end. */
  static String reportKey(ReportKey k) {
    return sha256Hex(
            k.organizationName()
                + '\0'
                + k.reportId()
                + '\0'
                + k.start().toEpochMilli()
                + '\0'
                + k.end().toEpochMilli())
        .substring(0, 32);
  }

  /**
   * 16 hex characters that change when the policy a sender saw changes: type, domain and the policy
   * lines (trimmed, in order).
   */
  static String policyFingerprint(PolicyResult p) {
    StringBuilder b = new StringBuilder(p.policyType().wire()).append('\0');
    b.append(p.policyDomain() == null ? "" : p.policyDomain()).append('\0');
    List<String> lines = p.policyStrings() == null ? List.of() : p.policyStrings();
    for (String line : lines) {
      b.append(line.strip()).append('\n');
    }
    return sha256Hex(b.toString()).substring(0, 16);
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

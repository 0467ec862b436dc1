package org.tlsrpt.posture.dane;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Matches usable TLSA records against the chain an MX presented (RFC 6698 §2.1, RFC 7671 §5, RFC
 * 7672 §3.1): DANE-EE(3) against the leaf only; DANE-TA(2) against a certificate the server sent
 * above the leaf, provided the chain from the leaf up to it is signed link by link.
 */
final class TlsaMatcher {
  private TlsaMatcher() {}

  /**
   * One record that matched.
   *
   * @param index the record's position (1-based) among the host's TLSA records
   * @param depth the matched certificate's position in the chain (0 = the leaf)
   */
  record Match(TlsaRecord record, int index, X509Certificate certificate, int depth) {}

  /** Every (record, certificate) pair that matches; {@code records} may hold unusable ones. */
  static List<Match> matches(List<TlsaRecord> records, List<X509Certificate> chain) {
    List<Match> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      TlsaRecord r = records.get(i);
      if (r.unusable() != null || chain.isEmpty()) {
        continue;
      }
      if (r.usage() == TlsaRecord.DANE_EE) {
        if (matches(r, chain.getFirst())) {
          out.add(new Match(r, i + 1, chain.getFirst(), 0));
        }
      } else {
        for (int d = 1; d < chain.size(); d++) {
          if (matches(r, chain.get(d)) && signedUpTo(chain, d)) {
            out.add(new Match(r, i + 1, chain.get(d), d));
            break;
          }
        }
      }
    }
    return out;
  }

  static boolean matches(TlsaRecord r, X509Certificate c) {
    byte[] selected;
    try {
      selected = r.selector() == 0 ? c.getEncoded() : c.getPublicKey().getEncoded();
    } catch (CertificateEncodingException e) {
      return false;
    }
    byte[] value =
        switch (r.matchingType()) {
          case 0 -> selected;
          case 1 -> digest("SHA-256", selected);
          case 2 -> digest("SHA-512", selected);
          default -> null;
        };
    return value != null && MessageDigest.isEqual(value, r.data());
  }

  /** Whether each certificate below {@code depth} is signed by the one above it. */
  private static boolean signedUpTo(List<X509Certificate> chain, int depth) {
    for (int i = 0; i < depth; i++) {
      try {
        chain.get(i).verify(chain.get(i + 1).getPublicKey());
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
    return true;
  }

  static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }
}

package org.tlsrpt.posture.dane;

import java.util.HexFormat;
import org.xbill.DNS.TLSARecord;

/**
 * One TLSA record (RFC 6698 §2): certificate usage, selector, matching type and the certificate
 * association data. Which records an SMTP sender uses is RFC 7672 §3.1: only DANE-TA(2) and
 * DANE-EE(3).
 */
record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {

  static final int PKIX_TA = 0;
  static final int PKIX_EE = 1;
  static final int DANE_TA = 2;
  static final int DANE_EE = 3;

  TlsaRecord {
    data = data.clone();
  }

  static TlsaRecord of(TLSARecord r) {
    return new TlsaRecord(
        r.getCertificateUsage(),
        r.getSelector(),
        r.getMatchingType(),
        r.getCertificateAssociationData());
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The presentation form as in a report's policy-string: {@code 3 1 1 <hex>}. */
  String text() {
    return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
  }

  /** The presentation form with the data cut to 16 hex digits, for messages. */
  String shortText() {
    String hex = HexFormat.of().formatHex(data);
    return usage
        + " "
        + selector
        + " "
        + matchingType
        + " "
        + (hex.length() > 16 ? hex.substring(0, 16) + "…" : hex);
  }

  /** e.g. {@code DANE-EE(3) SPKI SHA-256}. */
  String describe() {
    String u =
        switch (usage) {
          case PKIX_TA -> "PKIX-TA(0)";
          case PKIX_EE -> "PKIX-EE(1)";
          case DANE_TA -> "DANE-TA(2)";
          case DANE_EE -> "DANE-EE(3)";
          default -> "usage " + usage;
        };
    String s =
        switch (selector) {
          case 0 -> "full certificate";
          case 1 -> "SPKI";
          default -> "selector " + selector;
        };
    String m =
        switch (matchingType) {
          case 0 -> "exact";
          case 1 -> "SHA-256";
          case 2 -> "SHA-512";
          default -> "matching type " + matchingType;
        };
    return u + " " + s + " " + m;
  }

  /** Why an SMTP sender cannot use this record, or null when it can. */
  String unusable() {
    if (usage == PKIX_TA || usage == PKIX_EE) {
      return "usage "
          + (usage == PKIX_TA ? "PKIX-TA(0)" : "PKIX-EE(1)")
          + " is ignored by SMTP senders (RFC 7672 §3.1.3): publish DANE-EE(3) or DANE-TA(2)";
    }
    if (usage != DANE_TA && usage != DANE_EE) {
      return "unknown certificate usage " + usage;
    }
    if (selector != 0 && selector != 1) {
      return "unknown selector " + selector;
    }
    return switch (matchingType) {
      case 0 -> data.length == 0 ? "no certificate association data" : null;
      case 1 ->
          data.length == 32
              ? null
              : "a SHA-256 digest of " + data.length + " bytes instead of 32 can never match";
      case 2 ->
          data.length == 64
              ? null
              : "a SHA-512 digest of " + data.length + " bytes instead of 64 can never match";
      default -> "unknown matching type " + matchingType;
    };
  }
}

package org.tlsrpt.posture.dane;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Type;

/**
 * Why an answer is bogus, in the terms a zone's operator acts on. The validator's own reason names
 * the step that failed (often "no DNSKEY matches the DS" when the keys' signatures have expired),
 * so the signatures' validity periods are looked at first.
 *
 * @param kind the category (a stable fact: {@code expired_signature}, {@code
 *     signature_not_yet_valid}, {@code ds_mismatch}, {@code bad_denial}, {@code missing_signature},
 *     {@code other})
 * @param explanation a sentence for the message
 */
record BogusReason(String kind, String explanation) {

  static BogusReason classify(String validatorReason, List<RRSIGRecord> signatures, Instant now) {
    for (RRSIGRecord sig : signatures) {
      if (sig.getExpire().isBefore(now)) {
        return new BogusReason(
            "expired_signature",
            "expired signature: " + describe(sig) + " expired " + sig.getExpire());
      }
    }
    for (RRSIGRecord sig : signatures) {
      if (sig.getTimeSigned().isAfter(now)) {
        return new BogusReason(
            "signature_not_yet_valid",
            "signature not yet valid: " + describe(sig) + " is valid from " + sig.getTimeSigned());
      }
    }
    String r = validatorReason.toLowerCase(Locale.ROOT);
    if (r.contains("nsec")) {
      return new BogusReason(
          "bad_denial", "bad denial of existence: the NSEC/NSEC3 records do not prove the answer");
    }
    if (r.contains(" ds") || r.contains("dnskey")) {
      return new BogusReason(
          "ds_mismatch",
          "missing or wrong DS: no key of the zone matches the DS records in its parent zone");
    }
    if (r.contains("expired")) {
      return new BogusReason("expired_signature", "expired signature");
    }
    if (r.contains("not yet valid")) {
      return new BogusReason("signature_not_yet_valid", "signature not yet valid");
    }
    if (r.contains("missing signature")) {
      return new BogusReason("missing_signature", "missing signature on a signed zone's records");
    }
    return new BogusReason("other", "the answer does not validate");
  }

  private static String describe(RRSIGRecord sig) {
    return "the RRSIG over "
        + DnssecResolver.text(sig.getName())
        + " "
        + Type.string(sig.getTypeCovered())
        + " by "
        + DnssecResolver.text(sig.getSigner());
  }
}

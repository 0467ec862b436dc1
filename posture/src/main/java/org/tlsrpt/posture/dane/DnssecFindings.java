package org.tlsrpt.posture.dane;

import static org.tlsrpt.posture.dane.Verdicts.facts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.dane.DnssecResolver.Security;
import org.tlsrpt.posture.dane.DnssecResolver.Validated;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Type;

/** The findings {@code dane.dnssec} and {@code dane.signature_expiry}. */
final class DnssecFindings {
  static final String DNSSEC = "dane.dnssec";
  static final String SIGNATURES = "dane.signature_expiry";

  private final DnssecResolver dns;

  DnssecFindings(DnssecResolver dns) {
    this.dns = dns;
  }

  /** The verdict on a bogus answer for {@code name}/{@code type}, with the diagnosed reason. */
  Finding bogus(String subject, String name, int type, Validated v, String consequence) {
    Instant now = dns.clock().instant();
    BogusReason why = BogusReason.classify(v.reason(), dns.unvalidatedSignatures(name, type), now);
    return Verdicts.fail(
        DNSSEC,
        subject,
        "bogus: "
            + name
            + " "
            + Type.string(type)
            + " does not validate: "
            + why.explanation()
            + " ("
            + v.reason()
            + "); "
            + consequence,
        switch (why.kind()) {
          case "expired_signature", "signature_not_yet_valid" ->
              "re-sign the zone (check that its signer runs and that the signing host's clock is"
                  + " right); signatures must be refreshed well before they expire";
          case "ds_mismatch" ->
              "make the DS records at the parent (the registrar) match a key the zone signs with:"
                  + " publish the new key's DS before retiring the old key, or remove the DS to"
                  + " turn DNSSEC off cleanly";
          case "bad_denial" ->
              "re-sign the zone so that its NSEC/NSEC3 chain is complete and signed (a zone edited"
                  + " after signing, or an NSEC3 chain built with other parameters, breaks it)";
          default -> "re-sign the zone and check it with a DNSSEC debugger";
        },
        facts("security", "bogus", "bogus_reason", why.kind(), "validator_reason", v.reason()));
  }

  /** The verdict on an answer that has no chain of trust: DANE does not apply. */
  Finding insecure(String subject, String what, Validated v) {
    if (v.signed()) {
      return Verdicts.warn(
          DNSSEC,
          subject,
          "insecure: "
              + what
              + " are signed, but no chain of trust leads to them from the trust anchor "
              + dns.anchors()
              + " ("
              + v.reason()
              + "): DANE does not apply",
          "publish the zone's DS record at its parent (the registrar), or stop signing it",
          facts("security", "insecure", "signed", "true"));
    }
    return Verdicts.ok(
        DNSSEC,
        subject,
        "DANE does not apply: " + what + " are not DNSSEC-signed (insecure)",
        facts("security", "insecure", "signed", "false"));
  }

  /**
   * The earliest expiry among the signatures of the validated answers and of their signers' keys.
   */
  Finding signatureExpiry(String domain, List<Validated> secure, int warnDays) {
    List<RRSIGRecord> sigs = new ArrayList<>();
    List<String> signers = new ArrayList<>();
    for (Validated v : secure) {
      for (RRSIGRecord s : v.signatures()) {
        sigs.add(s);
        String signer = DnssecResolver.text(s.getSigner());
        if (!signers.contains(signer)) {
          signers.add(signer);
        }
      }
    }
    for (String signer : signers) {
      Validated keys = dns.query(signer, Type.DNSKEY);
      if (keys.security() == Security.SECURE) {
        sigs.addAll(keys.signatures());
      }
    }
    if (sigs.isEmpty()) {
      return Verdicts.notChecked(SIGNATURES, domain, "no validated signature to look at");
    }
    RRSIGRecord first = sigs.getFirst();
    for (RRSIGRecord s : sigs) {
      if (s.getExpire().isBefore(first.getExpire())) {
        first = s;
      }
    }
    Instant now = dns.clock().instant();
    Duration left = Duration.between(now, first.getExpire());
    long days = left.toDays();
    String over =
        "the RRSIG over "
            + DnssecResolver.text(first.getName())
            + " "
            + Type.string(first.getTypeCovered())
            + " by "
            + DnssecResolver.text(first.getSigner());
    var f =
        facts(
            "days_to_expiry",
            Long.toString(days),
            "expires",
            first.getExpire().toString(),
            "rrset",
            DnssecResolver.text(first.getName()) + " " + Type.string(first.getTypeCovered()),
            "signer",
            DnssecResolver.text(first.getSigner()));
    String when = days + " days (" + first.getExpire() + "): " + over;
    if (left.compareTo(Duration.ofDays(warnDays)) < 0) {
      return Verdicts.warn(
          SIGNATURES,
          domain,
          "the earliest DNSSEC signature expires in "
              + when
              + "; once it has expired the answers are bogus and DANE senders defer mail",
          "check that the zone "
              + DnssecResolver.text(first.getSigner())
              + " is re-signed automatically (its signer or DNS host), well before signatures"
              + " expire",
          f);
    }
    return Verdicts.ok(SIGNATURES, domain, "the earliest DNSSEC signature expires in " + when, f);
  }
}

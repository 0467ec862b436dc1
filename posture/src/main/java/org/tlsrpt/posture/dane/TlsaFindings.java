package org.tlsrpt.posture.dane;

import static org.tlsrpt.posture.dane.Verdicts.facts;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.Status;

/**
 * The findings on one MX host's TLSA records: {@code dane.tlsa_records} (parsed, unusable ones
 * flagged), {@code dane.tlsa_rollover} (room for the next key), {@code dane.tlsa_match} (against
 * the chain presented after STARTTLS) and {@code dane.tlsa_expiry} (the matched certificate).
 */
final class TlsaFindings {
  static final String RECORDS = "dane.tlsa_records";
  static final String ROLLOVER = "dane.tlsa_rollover";
  static final String MATCH = "dane.tlsa_match";
  static final String EXPIRY = "dane.tlsa_expiry";

  private TlsaFindings() {}

  /**
   * @param chain the chain the host presented, leaf first; empty without a TLS session
   * @param before the findings so far (for the host's {@code mx.certificate_name})
   */
  static List<Finding> judge(
      String host,
      List<TlsaRecord> records,
      List<X509Certificate> chain,
      List<Finding> before,
      Instant now,
      int expiryWarnDays) {
    String owner = "_25._tcp." + host;
    List<Finding> out = new ArrayList<>();
    List<TlsaRecord> usable = records.stream().filter(r -> r.unusable() == null).toList();
    out.add(records(owner, host, records, usable));
    if (usable.isEmpty()) {
      out.add(Verdicts.notChecked(ROLLOVER, host, "no usable TLSA record"));
      out.add(Verdicts.notChecked(MATCH, host, "no usable TLSA record to match"));
      out.add(Verdicts.notChecked(EXPIRY, host, "no usable TLSA record"));
      return out;
    }
    List<TlsaMatcher.Match> matches = TlsaMatcher.matches(records, chain);
    out.add(rollover(host, usable, matches, chain.isEmpty()));
    if (chain.isEmpty()) {
      out.add(
          Verdicts.notChecked(
              MATCH,
              host,
              "no TLS session with " + host + " (see mx.starttls): DANE senders require STARTTLS"));
      out.add(Verdicts.notChecked(EXPIRY, host, "no TLS session"));
      return out;
    }
    out.add(match(host, owner, records, matches, chain, before));
    out.add(expiry(host, matches, now, expiryWarnDays));
    return out;
  }

  private static Finding records(
      String owner, String host, List<TlsaRecord> records, List<TlsaRecord> usable) {
    List<String> listed = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (TlsaRecord r : records) {
      String why = r.unusable();
      if (why == null) {
        listed.add(r.shortText() + " (" + r.describe() + ")");
      } else {
        ignored.add(r.shortText() + ": " + why);
      }
    }
    Map<String, String> f =
        facts(
            "records",
            String.join(";", records.stream().map(TlsaRecord::text).toList()),
            "usable",
            Integer.toString(usable.size()),
            "ignored",
            Integer.toString(ignored.size()));
    String count = records.size() + " record" + (records.size() == 1 ? "" : "s");
    if (usable.isEmpty()) {
      return Verdicts.warn(
          RECORDS,
          owner,
          count
              + ", none usable by SMTP senders: "
              + String.join("; ", ignored)
              + ". DANE senders still insist on STARTTLS with "
              + host
              + " but authenticate nothing",
          "replace them with DANE-EE(3) records (e.g. 3 1 1, the SHA-256 of the server key's SPKI)"
              + " or DANE-TA(2) records for the issuing CA",
          f);
    }
    if (!ignored.isEmpty()) {
      return Verdicts.warn(
          RECORDS,
          owner,
          count
              + ", "
              + usable.size()
              + " usable: "
              + String.join(", ", listed)
              + "; ignored: "
              + String.join("; ", ignored),
          "remove the records SMTP senders ignore, or correct them",
          f);
    }
    return Verdicts.ok(RECORDS, owner, count + ", all usable: " + String.join(", ", listed), f);
  }

  private static Finding rollover(
      String host, List<TlsaRecord> usable, List<TlsaMatcher.Match> matches, boolean noChain) {
    if (usable.size() == 1) {
      return Verdicts.warn(
          ROLLOVER,
          host,
          "only one TLSA record is published for "
              + host
              + ": no room for a rollover; when the key or certificate changes, DANE senders"
              + " fail until a new record is published and their caches expire",
          "publish 'current + next': a second record for the next key (e.g. 3 1 1 of the next key's"
              + " SPKI) before switching, or a DANE-TA(2) record for the issuing CA beside the"
              + " DANE-EE(3) one (RFC 7671 §8.1)",
          facts("usable", "1"));
    }
    long matching = matches.stream().map(TlsaMatcher.Match::index).distinct().count();
    String note =
        noChain
            ? ""
            : "; "
                + matching
                + " match"
                + (matching == 1 ? "es" : "")
                + " the certificate now presented";
    return Verdicts.ok(
        ROLLOVER,
        host,
        usable.size() + " usable TLSA records: room for a rollover (current + next)" + note,
        facts("usable", Integer.toString(usable.size())));
  }

  private static Finding match(
      String host,
      String owner,
      List<TlsaRecord> records,
      List<TlsaMatcher.Match> matches,
      List<X509Certificate> chain,
      List<Finding> before) {
    X509Certificate leaf = chain.getFirst();
    String spki =
        HexFormat.of().formatHex(TlsaMatcher.digest("SHA-256", leaf.getPublicKey().getEncoded()));
    String cert;
    try {
      cert = HexFormat.of().formatHex(TlsaMatcher.digest("SHA-256", leaf.getEncoded()));
    } catch (CertificateEncodingException e) {
      cert = "";
    }
    Map<String, String> f = facts("leaf_spki_sha256", spki, "leaf_cert_sha256", cert);
    if (matches.isEmpty()) {
      return Verdicts.fail(
          MATCH,
          host,
          "no TLSA record matches the certificate chain "
              + host
              + " presents: DANE senders do not deliver to it (tlsa-invalid)",
          "publish a record for the certificate in use ('"
              + owner
              + ". IN TLSA 3 1 1 "
              + spki
              + "') and keep the old one until senders' caches expire, or put the matching"
              + " certificate back",
          f);
    }
    TlsaMatcher.Match m = matches.getFirst();
    f.put(
        "matched",
        String.join(",", matches.stream().map(x -> Integer.toString(x.index())).toList()));
    f.put("matched_record", m.record().text());
    boolean onlyTa = matches.stream().allMatch(x -> x.record().usage() == TlsaRecord.DANE_TA);
    boolean nameFails =
        before.stream()
            .anyMatch(
                b ->
                    b.id().equals("mx.certificate_name")
                        && b.subject().equals(host)
                        && b.status() == Status.FAIL);
    String what =
        "record "
            + m.index()
            + " of "
            + records.size()
            + " ("
            + m.record().shortText()
            + ", "
            + m.record().describe()
            + ") matches "
            + (m.depth() == 0
                ? "the leaf certificate"
                : "the certificate at depth " + m.depth() + " of the chain (a trust anchor)");
    if (onlyTa && nameFails) {
      return Verdicts.fail(
          MATCH,
          host,
          what
              + ", but the certificate does not name "
              + host
              + " (see mx.certificate_name): with DANE-TA senders check the name, so they do not"
              + " deliver (tlsa-invalid)",
          "serve a certificate whose subjectAltName includes " + host,
          f);
    }
    return Verdicts.ok(MATCH, host, what, f);
  }

  private static Finding expiry(
      String host, List<TlsaMatcher.Match> matches, Instant now, int warnDays) {
    if (matches.isEmpty()) {
      return Verdicts.notChecked(EXPIRY, host, "no record matches");
    }
    TlsaMatcher.Match latest = matches.getFirst();
    for (TlsaMatcher.Match m : matches) {
      if (m.certificate().getNotAfter().after(latest.certificate().getNotAfter())) {
        latest = m;
      }
    }
    Instant notAfter = latest.certificate().getNotAfter().toInstant();
    long days = Duration.between(now, notAfter).toDays();
    Map<String, String> f =
        facts("days_to_expiry", Long.toString(days), "not_after", notAfter.toString());
    String which =
        "record "
            + latest.index()
            + " ("
            + latest.record().shortText()
            + ") matches a certificate that expires in "
            + days
            + " days ("
            + notAfter
            + ")";
    if (Duration.between(now, notAfter).compareTo(Duration.ofDays(warnDays)) < 0) {
      boolean keyOnly = matches.stream().allMatch(m -> m.record().selector() == 1);
      return Verdicts.warn(
          EXPIRY,
          host,
          which
              + (matches.size() == 1 ? ", the only match" : "")
              + ": when it is replaced, DANE senders fail unless a record for the new"
              + " certificate is already published"
              + (keyOnly ? " (a renewal that keeps the same key still matches)" : ""),
          "publish the TLSA record of the next certificate or key now, beside the current one,"
              + " and switch only after at least the TLSA record's TTL",
          f);
    }
    return Verdicts.ok(EXPIRY, host, which, f);
  }
}

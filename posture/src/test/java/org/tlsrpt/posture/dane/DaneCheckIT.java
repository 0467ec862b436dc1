package org.tlsrpt.posture.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.server.SMTPServer;
import org.tlsrpt.posture.CheckOptions;
import org.tlsrpt.posture.CheckResult;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.PostureChecker;
import org.tlsrpt.posture.ReportedPolicies;
import org.tlsrpt.posture.Status;
import org.tlsrpt.testkit.FreePorts;
import org.tlsrpt.testkit.SignedZones;
import org.tlsrpt.testkit.SignedZones.Signing;
import org.tlsrpt.testkit.TestPki;
import org.tlsrpt.testkit.TestPki.Issuer;

/**
 * The DANE step of {@link PostureChecker} against real servers on loopback: NSD serving a tree
 * signed with ldns-signzone under the test anchor {@code test.} (a valid chain, expired signatures,
 * no DS, a DS for another key, a broken NSEC3 chain, signatures about to expire, an unsigned zone),
 * and STARTTLS MX hosts (SubEthaSMTP) presenting certificates that match their TLSA records, do not
 * match, or match only the next key. One mail domain per verdict.
 */
class DaneCheckIT {
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  @TempDir static Path dir;
  static SignedZones zones;
  static TestPki pki;
  static Path trustStore;
  static int smtpPort;
  static final List<SMTPServer> servers = new ArrayList<>();
  static String current;
  static String next;

  /** The position of the current key's record among two sorted by their text (1 or 2). */
  static int currentIndex() {
    return current.compareTo(next) < 0 ? 1 : 2;
  }

  static String spki(X509Certificate c) throws Exception {
    return TestPki.hex("SHA-256", c.getPublicKey().getEncoded());
  }

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki(dir);
    trustStore = pki.trustStore();
    smtpPort = FreePorts.tcp();
    smtp(
        "127.0.0.41",
        pki.server(
            "dane-current",
            Issuer.INTERMEDIATE_SENT,
            "mx.match.dane.test",
            "mx.mismatch.dane.test",
            "mx.single.dane.test",
            "mx.pkix.dane.test",
            "mx.soon.test"));
    smtp("127.0.0.42", pki.server("dane-next", Issuer.INTERMEDIATE_SENT, "mx.nextkey.dane.test"));
    smtp("127.0.0.43", pki.server("dane-ta", Issuer.INTERMEDIATE_SENT, "mx.ta.dane.test"));
    smtp(
        "127.0.0.44",
        pki.server("dane-expiring", Issuer.INTERMEDIATE_SENT, 5, "mx.expiring.dane.test"));
    pki.server("dane-other", Issuer.SELF_SIGNED, "other.test");

    current = spki(pki.certificate("dane-current"));
    next = spki(pki.certificate("dane-next"));
    String other = spki(pki.certificate("dane-other"));
    X509Certificate intermediate = pki.intermediate();
    String expiringCert = TestPki.hex("SHA-256", pki.certificate("dane-expiring").getEncoded());

    zones = new SignedZones(dir);
    SignedZones.Zone dane = zones.zone("dane.test");
    mailDomain(dane, "match", "127.0.0.41", "3 1 1 " + current, "3 1 1 " + next);
    mailDomain(dane, "mismatch", "127.0.0.41", "3 1 1 " + other, "3 1 1 " + next);
    mailDomain(dane, "nextkey", "127.0.0.42", "3 1 1 " + current, "3 1 1 " + next);
    mailDomain(dane, "single", "127.0.0.41", "3 1 1 " + current);
    mailDomain(
        dane,
        "pkix",
        "127.0.0.41",
        "1 1 1 " + current,
        "0 0 1 " + TestPki.hex("SHA-256", intermediate.getEncoded()),
        "3 1 1 " + current.substring(0, 40));
    mailDomain(
        dane,
        "ta",
        "127.0.0.43",
        "2 0 1 " + TestPki.hex("SHA-256", intermediate.getEncoded()),
        "2 1 2 " + TestPki.hex("SHA-512", intermediate.getPublicKey().getEncoded()));
    mailDomain(dane, "expiring", "127.0.0.44", "3 0 1 " + expiringCert, "3 1 1 " + next);
    dane.record("notlsa MX 10 mx.notlsa.dane.test.").record("mx.notlsa A 127.0.0.41");

    Instant now = Instant.now();
    zones
        .zone("expired.test")
        .signatures(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30)));
    zones.zone("nods.test").signing(Signing.NO_DS);
    zones.zone("wrongds.test").signing(Signing.WRONG_DS);
    zones.zone("nsec3broken.test").signing(Signing.NSEC3_BROKEN);
    zones
        .zone("soon.test")
        .signatures(now.minus(Duration.ofDays(1)), now.plus(Duration.ofHours(30)));
    zones.zone("plain.test").signing(Signing.UNSIGNED);
    for (String z : List.of("expired", "nods", "wrongds", "nsec3broken", "soon", "plain")) {
      zones
          .zone(z + ".test")
          .record("@ MX 10 mx." + z + ".test.")
          .record("mx A 127.0.0.41")
          .record("_25._tcp.mx TLSA 3 1 1 " + current)
          .record("_25._tcp.mx TLSA 3 1 1 " + next);
    }
    zones.start();
  }

  /** A mail domain NAME.dane.test with one MX host, its address and its TLSA records. */
  private static void mailDomain(SignedZones.Zone z, String name, String address, String... tlsa) {
    z.record(name + " MX 10 mx." + name + ".dane.test.");
    z.record("mx." + name + " A " + address);
    for (String t : tlsa) {
      z.record("_25._tcp.mx." + name + " TLSA " + t);
    }
  }

  private static void smtp(String address, Path keyStore) throws Exception {
    SMTPServer s =
        SMTPServer.port(smtpPort)
            .bindAddress(InetAddress.getByName(address))
            .hostName("mx.test")
            .messageHandlerFactory(ctx -> null)
            .enableTLS()
            .startTlsSocketFactory(TestPki.context(keyStore))
            .build();
    s.start();
    servers.add(s);
  }

  @AfterAll
  static void stop() throws Exception {
    servers.forEach(SMTPServer::stop);
    if (zones != null) {
      zones.close();
    }
  }

  static CheckOptions options(Clock clock) {
    return new CheckOptions(
        zones.address(),
        443,
        smtpPort,
        trustStore,
        TestPki.PASSWORD,
        TIMEOUT,
        "checker.test",
        14,
        clock,
        65536);
  }

  static CheckResult check(String domain) {
    return check(domain, ReportedDaneFailures.unavailable("no store in this test"));
  }

  static CheckResult check(String domain, ReportedDaneFailures reports) {
    CheckOptions o = options(Clock.systemUTC());
    DaneSettings settings = new DaneSettings(true, zones.trustAnchor(), 2);
    return new PostureChecker(
            o, ReportedPolicies.unavailable("no store"), new DaneCheck(o, settings, reports))
        .check(domain);
  }

  static Finding only(CheckResult r, String id) {
    List<Finding> f = r.findings(id);
    assertThat(f).as("findings %s in %s", id, r.findings()).hasSize(1);
    return f.getFirst();
  }

  static Finding about(CheckResult r, String id, String subject) {
    List<Finding> f = r.findings(id).stream().filter(x -> x.subject().equals(subject)).toList();
    assertThat(f).as("findings %s on %s in %s", id, subject, r.findings()).hasSize(1);
    return f.getFirst();
  }

  static List<Finding> dane(CheckResult r) {
    return r.findings().stream()
        .filter(f -> f.id().startsWith("dane.") || f.id().contains("dane"))
        .toList();
  }

  @Test
  void validatesTheMxAddressAndTlsaRecordsOfASignedDomainAsSecure() {
    CheckResult r = check("match.dane.test");

    Finding mx = about(r, "dane.dnssec", "match.dane.test");
    assertThat(mx.status()).isEqualTo(Status.OK);
    assertThat(mx.message())
        .isEqualTo("secure: match.dane.test's MX records validate from the trust anchor 'test.'");
    Finding host = about(r, "dane.dnssec", "mx.match.dane.test");
    assertThat(host.status()).isEqualTo(Status.OK);
    assertThat(host.message())
        .isEqualTo("secure: the addresses of mx.match.dane.test and its 2 TLSA records validate");
  }

  @Test
  void saysPlainlyThatDaneDoesNotApplyToADomainWithoutDnssec() {
    long started = System.nanoTime();
    CheckResult r = check("plain.test");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(dane(r)).as("%s", r.findings()).hasSize(1);
    Finding f = only(r, "dane.dnssec");
    assertThat(f.status()).isEqualTo(Status.OK);
    assertThat(f.message())
        .isEqualTo("DANE does not apply: plain.test's MX records are not DNSSEC-signed (insecure)");
    assertThat(f.facts()).containsEntry("security", "insecure");
    assertThat(took).as("no chain walking beyond the lookups").isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void warnsThatASignedZoneWithoutDsInItsParentIsInsecure() {
    Finding f = only(check("nods.test"), "dane.dnssec");

    assertThat(f.status()).isEqualTo(Status.WARN);
    assertThat(f.message())
        .startsWith(
            "insecure: nods.test's MX records are signed, but no chain of trust leads to them"
                + " from the trust anchor 'test.'")
        .endsWith("DANE does not apply");
    assertThat(f.remedy()).contains("publish the zone's DS record");
  }

  @Test
  void failsOnExpiredSignaturesAsBogus() {
    Finding f = only(check("expired.test"), "dane.dnssec");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith("bogus: expired.test MX does not validate: expired signature: the RRSIG over")
        .contains("by expired.test expired")
        .endsWith("DANE senders defer all mail to expired.test (dnssec-invalid)");
    assertThat(f.facts()).containsEntry("bogus_reason", "expired_signature");
  }

  @Test
  void failsOnADsThatMatchesNoKeyOfTheZoneAsBogus() {
    Finding f = only(check("wrongds.test"), "dane.dnssec");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "bogus: wrongds.test MX does not validate: missing or wrong DS: no key of the zone"
                + " matches the DS records in its parent zone");
    assertThat(f.facts()).containsEntry("bogus_reason", "ds_mismatch");
  }

  @Test
  void failsOnABrokenNsec3ProofAsBogus() {
    CheckResult r = check("nsec3broken.test");

    assertThat(about(r, "dane.dnssec", "nsec3broken.test").status()).isEqualTo(Status.OK);
    Finding f = about(r, "dane.dnssec", "mx.nsec3broken.test");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "bogus: mx.nsec3broken.test AAAA does not validate: bad denial of existence: the"
                + " NSEC/NSEC3 records do not prove the answer")
        .endsWith("DANE senders cannot use this MX host (dnssec-invalid)");
    assertThat(f.facts()).containsEntry("bogus_reason", "bad_denial");
  }

  @Test
  void warnsWhenASignatureExpiresWithinTheWarningDays() {
    Finding f = only(check("soon.test"), "dane.signature_expiry");

    assertThat(f.status()).isEqualTo(Status.WARN);
    assertThat(f.message())
        .startsWith("the earliest DNSSEC signature expires in 1 days (")
        .contains("by soon.test")
        .endsWith("once it has expired the answers are bogus and DANE senders defer mail");
    assertThat(f.facts()).containsEntry("days_to_expiry", "1").containsEntry("signer", "soon.test");
  }

  @Test
  void reportsTheDaysToTheEarliestSignatureExpiry() {
    Finding f = only(check("match.dane.test"), "dane.signature_expiry");

    assertThat(f.status()).isEqualTo(Status.OK);
    assertThat(f.message()).startsWith("the earliest DNSSEC signature expires in 39");
    assertThat(Integer.parseInt(f.facts().get("days_to_expiry"))).isBetween(398, 400);
  }

  @Test
  void matchesADaneEeRecordAgainstTheLeafTheMxPresents() {
    CheckResult r = check("match.dane.test");

    Finding records = only(r, "dane.tlsa_records");
    assertThat(records.status()).isEqualTo(Status.OK);
    assertThat(records.subject()).isEqualTo("_25._tcp.mx.match.dane.test");
    assertThat(records.message()).startsWith("2 records, all usable: 3 1 1 ");
    Finding f = only(r, "dane.tlsa_match");
    assertThat(f.status()).isEqualTo(Status.OK);
    assertThat(f.message())
        .startsWith("record " + currentIndex() + " of 2 (3 1 1 " + current.substring(0, 16) + "…")
        .endsWith(", DANE-EE(3) SPKI SHA-256) matches the leaf certificate");
    assertThat(only(r, "dane.tlsa_rollover").message())
        .isEqualTo(
            "2 usable TLSA records: room for a rollover (current + next); 1 matches the"
                + " certificate now presented");
  }

  @Test
  void failsWhenNoTlsaRecordMatchesTheCertificateChain() throws Exception {
    Finding f = only(check("mismatch.dane.test"), "dane.tlsa_match");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "no TLSA record matches the certificate chain mx.mismatch.dane.test presents: DANE"
                + " senders do not deliver to it (tlsa-invalid)");
    assertThat(f.remedy()).contains("_25._tcp.mx.mismatch.dane.test. IN TLSA 3 1 1 " + current);
    assertThat(f.facts()).containsEntry("leaf_spki_sha256", current);
  }

  @Test
  void matchesACertificateOfTheNextKeyByItsPrePublishedRecord() {
    Finding f = only(check("nextkey.dane.test"), "dane.tlsa_match");

    assertThat(f.status()).isEqualTo(Status.OK);
    int nextIndex = 3 - currentIndex();
    assertThat(f.message())
        .startsWith("record " + nextIndex + " of 2 (3 1 1 " + next.substring(0, 16) + "…")
        .endsWith("matches the leaf certificate");
    assertThat(f.facts()).containsEntry("matched", Integer.toString(nextIndex));
  }

  @Test
  void warnsThatASingleTlsaRecordLeavesNoRoomForARollover() {
    CheckResult r = check("single.dane.test");

    Finding f = only(r, "dane.tlsa_rollover");
    assertThat(f.status()).isEqualTo(Status.WARN);
    assertThat(f.message())
        .startsWith(
            "only one TLSA record is published for mx.single.dane.test: no room for a rollover");
    assertThat(f.remedy()).startsWith("publish 'current + next'");
    assertThat(only(r, "dane.tlsa_match").status()).isEqualTo(Status.OK);
  }

  @Test
  void flagsTheRecordsSmtpSendersIgnore() {
    CheckResult r = check("pkix.dane.test");

    Finding f = only(r, "dane.tlsa_records");
    assertThat(f.status()).isEqualTo(Status.WARN);
    assertThat(f.message())
        .startsWith("3 records, none usable by SMTP senders: 0 0 1 ")
        .contains("usage PKIX-EE(1) is ignored by SMTP senders (RFC 7672 §3.1.3)")
        .contains("usage PKIX-TA(0) is ignored by SMTP senders")
        .contains("a SHA-256 digest of 20 bytes instead of 32 can never match")
        .endsWith(
            "DANE senders still insist on STARTTLS with mx.pkix.dane.test but authenticate nothing");
    assertThat(only(r, "dane.tlsa_match").status()).isEqualTo(Status.NOT_CHECKED);
  }

  @Test
  void matchesDaneTaRecordsAgainstTheIntermediateTheMxSends() {
    Finding f = only(check("ta.dane.test"), "dane.tlsa_match");

    assertThat(f.status()).isEqualTo(Status.OK);
    assertThat(f.message())
        .startsWith("record 1 of 2 (2 0 1 ")
        .endsWith(
            ", DANE-TA(2) full certificate SHA-256) matches the certificate at depth 1 of the"
                + " chain (a trust anchor)");
    assertThat(f.facts()).containsEntry("matched", "1,2"); // the SHA-512 SPKI record too
  }

  @Test
  void warnsWhenTheMatchedCertificateExpiresWithinTheWarningDays() {
    Finding f = only(check("expiring.dane.test"), "dane.tlsa_expiry");

    assertThat(f.status()).isEqualTo(Status.WARN);
    assertThat(f.message())
        .startsWith("record 1 (3 0 1 ")
        .contains(") matches a certificate that expires in 4 days (")
        .endsWith(
            ", the only match: when it is replaced, DANE senders fail unless a record for the new"
                + " certificate is already published");
    assertThat(f.facts()).containsEntry("days_to_expiry", "4");
  }

  @Test
  void saysDaneDoesNotApplyToAnMxHostWithoutTlsaRecords() {
    Finding f = about(check("notlsa.dane.test"), "dane.dnssec", "mx.notlsa.dane.test");

    assertThat(f.status()).isEqualTo(Status.OK);
    assertThat(f.message())
        .isEqualTo(
            "secure, but no TLSA records at _25._tcp.mx.notlsa.dane.test (proved NXDOMAIN): DANE"
                + " does not apply to this MX host");
  }

  @Test
  void showsAReportedTlsaFailureBesideTheFindingThatExplainsIt() {
    ReportedDaneFailures reports =
        (domain, hosts, since) ->
            List.of(
                new ReportedDaneFailures.Reported(
                    "Example Sender",
                    "tlsa-invalid",
                    "mx.mismatch.dane.test",
                    12,
                    Instant.parse("2026-01-02T00:00:00Z")));
    CheckResult r = check("mismatch.dane.test", reports);

    Finding match = only(r, "dane.tlsa_match");
    assertThat(match.status()).isEqualTo(Status.FAIL);
    assertThat(match.message())
        .endsWith(
            "; reported by senders in the last 30 days: Example Sender tlsa-invalid (12 sessions)");
    Finding cross = only(r, "cross.reported_dane");
    assertThat(cross.status()).isEqualTo(Status.WARN);
    assertThat(cross.message())
        .isEqualTo(
            "1 sending organization reported DANE failures in the last 30 days: Example Sender"
                + " tlsa-invalid for mx.mismatch.dane.test (12 sessions, last"
                + " 2026-01-02T00:00:00Z), explained by dane.tlsa_match (fail) for"
                + " mx.mismatch.dane.test");
  }

  @Test
  void saysDnssecWasNotCheckedWhenTheServerCannotValidateTheTrustAnchor() {
    CheckOptions o = options(Clock.systemUTC());
    CheckResult r =
        new PostureChecker(
                o,
                ReportedPolicies.unavailable("no store"),
                new DaneCheck(
                    o, DaneSettings.defaults(), ReportedDaneFailures.unavailable("no store")))
            .check("match.dane.test");

    Finding f = only(r, "dane.dnssec");
    assertThat(f.status()).isEqualTo(Status.NOT_CHECKED);
    assertThat(f.message())
        .startsWith(
            "DNSSEC not checked: DNS server "
                + zones.address()
                + " does not give validatable keys for the trust anchor '.'");
  }
}

package org.tlsrpt.ingest.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tlsrpt.ingest.DkimVerdict;
import org.tlsrpt.ingest.DkimVerdict.Status;
import org.tlsrpt.ingest.dkim.OpenDkim.Key;
import org.tlsrpt.ingest.dkim.OpenDkim.Options;
import org.tlsrpt.testkit.Dnsmasq;
import org.tlsrpt.testkit.FreePorts;

/**
 * {@link JdkimCheck} on report e-mails signed by OpenDKIM, an independent implementation, with the
 * keys served by a real DNS server (dnsmasq) on loopback.
 *
 * <p>The RFC 8460 example report is submitted by mail.sender.example.com and names a contact at
 * company-x.example: those are its reporting domains, as {@code Intake} derives them. Keys:
 *
 * <ul>
 *   <li>{@code rpt2048._domainkey.mail.sender.example.com}: the submitter itself;
 *   <li>{@code rpt4096._domainkey.sender.example.com}: a parent domain, a 4096-bit key (its record
 *       is too large for a plain UDP answer) restricted to {@code s=tlsrpt} as RFC 8460 suggests;
 *   <li>{@code other._domainkey.example.net}: the policy domain, which is not the reporter;
 *   <li>{@code rpt2048._domainkey.google.com}: for the real Google report;
 *   <li>{@code slow._domainkey.…}: forwarded to a server that never answers.
 * </ul>
 */
class DkimVerificationIT {
  static final Set<String> REPORTING = Set.of("mail.sender.example.com", "company-x.example");
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final Duration SHORT_TIMEOUT = Duration.ofSeconds(1);

  @TempDir static Path dir;
  static OpenDkim openDkim;
  static Key key2048;
  static Key key4096;
  static Key otherKey;
  static DatagramSocket silentServer;
  static Dnsmasq dns;
  static JdkimCheck check;

  @BeforeAll
  static void start() throws Exception {
    openDkim = new OpenDkim(dir);
    key2048 = openDkim.generateKey("rpt2048", 2048);
    key4096 = openDkim.generateKey("rpt4096", 4096);
    otherKey = openDkim.generateKey("other", 2048);
    // the keys' records are split into several strings, which the lookup must join
    assertThat(key2048.txt()).hasSizeGreaterThan(1);
    silentServer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    String silent = "127.0.0.1#" + silentServer.getLocalPort();
    dns =
        new Dnsmasq(dir)
            .zone("example.com")
            .zone("example.net")
            .zone("google.com")
            .txt("rpt2048._domainkey.mail.sender.example.com", key2048.txt())
            .txt("rpt4096._domainkey.sender.example.com", forTlsrptOnly(key4096.txt()))
            .txt("other._domainkey.example.net", otherKey.txt())
            .txt("rpt2048._domainkey.google.com", key2048.txt())
            .forward("slow._domainkey.sender.example.com", silent)
            .forward("slow._domainkey.example.net", silent)
            .start();
    check = new JdkimCheck(new DkimSettings(dns.address(), TIMEOUT, 10));
  }

  @AfterAll
  static void stop() throws Exception {
    if (dns != null) {
      dns.close();
    }
    if (silentServer != null) {
      silentServer.close();
    }
  }

  /** The key record with the service type RFC 8460 §3 asks reporters to use. */
  private static List<String> forTlsrptOnly(List<String> txt) {
    List<String> strings = new ArrayList<>(txt);
    assertThat(strings.getFirst()).startsWith("v=DKIM1;").endsWith("; ");
    strings.set(0, strings.getFirst() + "s=tlsrpt; ");
    return strings;
  }

  private static byte[] sign(byte[] message, Key key, String domain, String selector)
      throws Exception {
    return openDkim.sign(message, key, domain, selector, Options.DEFAULT);
  }

  private static byte[] signedBySubmitter() throws Exception {
    return sign(ReportMails.rfcExample(), key2048, "mail.sender.example.com", "rpt2048");
  }

  @Test
  void passesAReportSignedByItsSubmitter() throws Exception {
    DkimVerdict v = check.verify(signedBySubmitter(), REPORTING);

    assertThat(v.status()).as(v.detail()).isEqualTo(Status.PASS);
    assertThat(v.signingDomain()).isEqualTo("mail.sender.example.com");
    assertThat(v.detail()).contains("d=mail.sender.example.com s=rpt2048");
  }

  @Test
  void passesASignatureByAParentDomainOfTheSubmitterWithALargeTlsrptOnlyKey() throws Exception {
    byte[] signed = sign(ReportMails.rfcExample(), key4096, "sender.example.com", "rpt4096");

    DkimVerdict v = check.verify(signed, REPORTING);

    assertThat(v.status()).as(v.detail()).isEqualTo(Status.PASS);
    assertThat(v.signingDomain()).isEqualTo("sender.example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple/simple", "simple/relaxed", "relaxed/simple"})
  void passesEveryCanonicalization(String canonicalization) throws Exception {
    byte[] signed =
        openDkim.sign(
            ReportMails.rfcExample(),
            key2048,
            "mail.sender.example.com",
            "rpt2048",
            Options.DEFAULT.canonicalization(canonicalization));

    assertThat(new String(signed, 0, 80, java.nio.charset.StandardCharsets.US_ASCII))
        .contains("c=" + canonicalization);
    assertThat(check.verify(signed, REPORTING).status()).isEqualTo(Status.PASS);
  }

  @Test
  void failsWhenTheBodyWasChangedAfterSigning() throws Exception {
    byte[] tampered =
        ReportMails.replace(
            signedBySubmitter(),
            "This is an aggregate TLS report from mail.sender.example.com",
            "This is an aggregate TLS report from mail.sender.example.org");

    DkimVerdict v = check.verify(tampered, REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.signingDomain()).isEqualTo("mail.sender.example.com");
    assertThat(v.detail())
        .isEqualTo(
            "d=mail.sender.example.com s=rpt2048: body hash mismatch: the body was changed after"
                + " signing");
  }

  @Test
  void failsWhenASignedHeaderWasChangedAfterSigning() throws Exception {
    byte[] tampered =
        ReportMails.replace(
            signedBySubmitter(),
            "TLS-Report-Domain: example.net",
            "TLS-Report-Domain: victim.example");

    DkimVerdict v = check.verify(tampered, REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.detail())
        .startsWith("d=mail.sender.example.com s=rpt2048: bad signature: the signed header fields");
  }

  @Test
  void failsAValidSignatureByADomainOtherThanTheReporters() throws Exception {
    byte[] signed = sign(ReportMails.rfcExample(), otherKey, "example.net", "other");

    DkimVerdict v = check.verify(signed, Set.of("mail.sender.example.com"));

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.signingDomain()).isEqualTo("example.net");
    assertThat(v.detail())
        .isEqualTo(
            "d=example.net s=other: valid, but signed by d=example.net, which is not the reporting"
                + " domain mail.sender.example.com nor a parent domain of it");
  }

  @Test
  void findsNoSignatureOnAnUnsignedReport() {
    DkimVerdict v = check.verify(ReportMails.rfcExample(), REPORTING);

    assertThat(v.status()).isEqualTo(Status.NONE);
    assertThat(v.signingDomain()).isNull();
  }

  @Test
  void refusesASignatureWithABodyLengthLimit() throws Exception {
    byte[] signed =
        openDkim.sign(
            ReportMails.rfcExample(),
            key2048,
            "mail.sender.example.com",
            "rpt2048",
            Options.DEFAULT.withBodyLength());
    assertThat(new String(signed, java.nio.charset.StandardCharsets.ISO_8859_1)).contains(" l=");

    DkimVerdict v = check.verify(signed, REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.signingDomain()).isEqualTo("mail.sender.example.com");
    assertThat(v.detail())
        .isEqualTo(
            "d=mail.sender.example.com s=rpt2048: l= (a body length limit) is not allowed in a"
                + " report's signature (RFC 8460 §3)");
  }

  @Test
  void refusesRsaSha1() throws Exception {
    byte[] signed =
        openDkim.sign(
            ReportMails.rfcExample(),
            key2048,
            "mail.sender.example.com",
            "rpt2048",
            Options.DEFAULT.algorithm("rsa-sha1"));

    DkimVerdict v = check.verify(signed, REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.detail()).contains("a=rsa-sha1 is not allowed (RFC 8301)");
  }

  @Test
  void failsWhenTheKeyDoesNotExist() throws Exception {
    byte[] signed = sign(ReportMails.rfcExample(), key2048, "sender.example.com", "retired");

    DkimVerdict v = check.verify(signed, REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.signingDomain()).isEqualTo("sender.example.com");
    assertThat(v.detail())
        .isEqualTo(
            "d=sender.example.com s=retired: key not found:"
                + " retired._domainkey.sender.example.com does not exist (NXDOMAIN)");
  }

  @Test
  void isATemporaryErrorWhenNothingListensOnTheResolverPort() throws Exception {
    JdkimCheck noServer =
        new JdkimCheck(new DkimSettings("127.0.0.1:" + FreePorts.udpAndTcp(), SHORT_TIMEOUT, 10));

    DkimVerdict v = noServer.verify(signedBySubmitter(), REPORTING);

    assertThat(v.status()).as(v.detail()).isEqualTo(Status.TEMPERROR);
    assertThat(v.signingDomain()).isEqualTo("mail.sender.example.com");
    assertThat(v.detail())
        .startsWith(
            "d=mail.sender.example.com s=rpt2048: key lookup of"
                + " rpt2048._domainkey.mail.sender.example.com failed for now");
  }

  @Test
  void isATemporaryErrorWhenTheResolverDoesNotAnswerInTime() throws Exception {
    JdkimCheck impatient = new JdkimCheck(new DkimSettings(dns.address(), SHORT_TIMEOUT, 10));
    byte[] signed = sign(ReportMails.rfcExample(), key2048, "sender.example.com", "slow");

    DkimVerdict v = impatient.verify(signed, REPORTING);

    assertThat(v.status()).as(v.detail()).isEqualTo(Status.TEMPERROR);
    assertThat(v.detail()).contains("failed for now (no answer in time; resolver " + dns.address());
  }

  @Test
  void failsRatherThanRetriesWhenOnlyAnUnalignedKeyCannotBeFetched() throws Exception {
    JdkimCheck impatient = new JdkimCheck(new DkimSettings(dns.address(), SHORT_TIMEOUT, 10));
    byte[] signed = sign(ReportMails.rfcExample(), otherKey, "example.net", "slow");

    DkimVerdict v = impatient.verify(signed, REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.detail())
        .contains("failed for now")
        .contains(
            "(besides, d=example.net is none of the reporting domains company-x.example,"
                + " mail.sender.example.com nor a parent domain of one)");
  }

  @Test
  void passesWhenAnyAlignedSignatureIsValid() throws Exception {
    byte[] signed =
        sign(
            sign(
                sign(ReportMails.rfcExample(), key2048, "mail.sender.example.com", "rpt2048"),
                otherKey,
                "example.net",
                "other"),
            key2048,
            "sender.example.com",
            "retired");

    DkimVerdict v = check.verify(signed, REPORTING);

    assertThat(v.status()).as(v.detail()).isEqualTo(Status.PASS);
    assertThat(v.signingDomain()).isEqualTo("mail.sender.example.com");
  }

  @Test
  void passesARealGoogleReportOnceItCarriesAValidSignatureBesideItsStaleOne() throws Exception {
    byte[] asArchived = ReportMails.googleReport();
    DkimVerdict stale = check.verify(asArchived, Set.of("google.com"));
    assertThat(stale.status()).isEqualTo(Status.FAIL);
    assertThat(stale.detail()).startsWith("d=google.com s=20230601: ").contains("expired");

    DkimVerdict v =
        check.verify(sign(asArchived, key2048, "google.com", "rpt2048"), Set.of("google.com"));

    assertThat(v.status()).as(v.detail()).isEqualTo(Status.PASS);
    assertThat(v.signingDomain()).isEqualTo("google.com");
  }

  @Test
  void toleratesASignerClockAFewMinutesAhead() throws Exception {
    long ahead = Instant.now().getEpochSecond() + 120;
    byte[] signed =
        openDkim.sign(
            ReportMails.rfcExample(),
            key2048,
            "mail.sender.example.com",
            "rpt2048",
            Options.DEFAULT.timestamp(ahead));

    assertThat(check.verify(signed, REPORTING).status()).isEqualTo(Status.PASS);
  }

  @Test
  void failsASignatureDatedADayAhead() throws Exception {
    long tomorrow = Instant.now().getEpochSecond() + 86_400;
    byte[] signed =
        openDkim.sign(
            ReportMails.rfcExample(),
            key2048,
            "mail.sender.example.com",
            "rpt2048",
            Options.DEFAULT.timestamp(tomorrow));

    DkimVerdict v = check.verify(signed, REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.detail()).contains("in the future");
  }

  @Test
  void seesAChangedKeyAtOnce() throws Exception {
    Path own = Files.createDirectories(dir.resolve("rotation"));
    String name = "rpt2048._domainkey.mail.sender.example.com";
    byte[] signed = signedBySubmitter();
    int port = FreePorts.udpAndTcp();
    JdkimCheck c = new JdkimCheck(new DkimSettings("127.0.0.1:" + port, TIMEOUT, 10));
    try (Dnsmasq before = new Dnsmasq(own, port).zone("example.com").txt(name, key2048.txt())) {
      before.start();
      assertThat(c.verify(signed, REPORTING).status()).isEqualTo(Status.PASS);
    }
    // dnsmasq does not re-read its records: the rotated key is served by a new one on the same port
    try (Dnsmasq after = new Dnsmasq(own, port).zone("example.com").txt(name, otherKey.txt())) {
      after.start();
      DkimVerdict v = c.verify(signed, REPORTING);
      assertThat(v.status()).isEqualTo(Status.FAIL);
      assertThat(v.detail()).contains("bad signature");
    }
  }
}

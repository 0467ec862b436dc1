package org.tlsrpt.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.server.SMTPServer;
import org.tlsrpt.app.check.PolicyServer.Answer;
import org.tlsrpt.posture.CheckOptions;
import org.tlsrpt.posture.CheckResult;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.PostureChecker;
import org.tlsrpt.posture.ReportedPolicies;
import org.tlsrpt.posture.Status;
import org.tlsrpt.testkit.Dnsmasq;
import org.tlsrpt.testkit.FreePorts;
import org.tlsrpt.testkit.TestPki;
import org.tlsrpt.testkit.TestPki.Issuer;

/**
 * {@link PostureChecker} against real servers on loopback: dnsmasq authoritative for the zone
 * {@code test}, a private CA, HTTPS policy hosts (the JDK's HttpsServer) and STARTTLS MX hosts
 * (SubEthaSMTP), each on its own 127.0.0.x address. One domain per verdict.
 */
class PostureCheckIT {
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final String GOOD_POLICY =
      "version: STSv1\r\nmode: enforce\r\nmx: *.good.test\r\nmax_age: 604800\r\n";

  @TempDir static Path dir;
  static Dnsmasq zone;
  static Path trustStore;
  static int httpsPort;
  static int smtpPort;
  static final List<AutoCloseable> servers = new java.util.ArrayList<>();
  static DatagramSocket silentDns;

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = new TestPki(dir);
    trustStore = pki.trustStore();
    httpsPort = FreePorts.udpAndTcp();
    smtpPort = FreePorts.udpAndTcp();

    smtp(
        "127.0.0.11",
        pki.server("mx-good", Issuer.INTERMEDIATE_SENT, "mx1.good.test", "mx2.good.test"));
    smtp("127.0.0.12", pki.server("mx-wrong", Issuer.INTERMEDIATE_SENT, "other.test"));
    smtp("127.0.0.13", pki.server("mx-self", Issuer.SELF_SIGNED, "mx.selfsigned.test"));
    smtp("127.0.0.14", pki.server("mx-leaf", Issuer.INTERMEDIATE_NOT_SENT, "mx.nochain.test"));
    smtp("127.0.0.15", null);
    servers.add(new SilentServer("127.0.0.16", smtpPort));
    servers.add(new SilentServer("127.0.0.16", httpsPort));

    List<String> policyHosts =
        List.of(
                "good",
                "testing",
                "uncovered",
                "none",
                "wrongname",
                "selfsigned",
                "nochain",
                "nostarttls",
                "malformed",
                "redirect",
                "ctype",
                "big")
            .stream()
            .map(d -> "mta-sts." + d + ".test")
            .toList();
    PolicyServer policies =
        new PolicyServer(
            "127.0.0.21",
            httpsPort,
            TestPki.context(
                pki.server(
                    "policy", Issuer.INTERMEDIATE_SENT, policyHosts.toArray(String[]::new))));
    servers.add(policies);
    PolicyServer badCert =
        new PolicyServer(
            "127.0.0.22",
            httpsPort,
            TestPki.context(
                pki.server("policy-wrong", Issuer.INTERMEDIATE_SENT, "www.other.test")));
    servers.add(badCert);

    silentDns = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    zone = new Dnsmasq(dir).zone("test");
    zone.host("mx1.good.test", "127.0.0.11")
        .host("mx2.good.test", "127.0.0.11")
        .host("mx.wrongname.test", "127.0.0.12")
        .host("mx.selfsigned.test", "127.0.0.13")
        .host("mx.nochain.test", "127.0.0.14")
        .host("mx.nostarttls.test", "127.0.0.15")
        .host("mx.silent.test", "127.0.0.16")
        .host("mta-sts.silent.test", "127.0.0.16")
        .host("mx.down.test", "127.0.0.17")
        .host("mta-sts.down.test", "127.0.0.17")
        .host("mta-sts.badcert.test", "127.0.0.22");
    for (String h : policyHosts) {
      zone.host(h, "127.0.0.21");
    }

    published("good", "mx1.good.test");
    policies.serve("mta-sts.good.test", Answer.policy(GOOD_POLICY));
    published("testing", "mx1.good.test", "mx2.good.test");
    policies.serve(
        "mta-sts.testing.test",
        Answer.policy("version: STSv1\nmode: testing\nmx: mx1.good.test\nmax_age: 86400\n"));
    published("uncovered", "mx1.good.test", "mx2.good.test");
    policies.serve(
        "mta-sts.uncovered.test",
        Answer.policy("version: STSv1\nmode: enforce\nmx: mx1.good.test\nmax_age: 86400\n"));
    published("none", "mx1.good.test");
    policies.serve(
        "mta-sts.none.test", Answer.policy("version: STSv1\nmode: none\nmax_age: 86400\n"));
    for (String d : List.of("wrongname", "selfsigned", "nochain", "nostarttls", "silent", "down")) {
      published(d, "mx." + d + ".test");
      policies.serve(
          "mta-sts." + d + ".test",
          Answer.policy("version: STSv1\nmode: enforce\nmx: mx." + d + ".test\nmax_age: 604800\n"));
    }
    published("malformed", "mx1.good.test");
    policies.serve(
        "mta-sts.malformed.test",
        Answer.policy("version: STSv2\nmode: strict\nmx: mx1.good.test\nmax_age: 99999999999\n"));
    published("redirect", "mx1.good.test");
    policies.serve(
        "mta-sts.redirect.test",
        new Answer(301, "text/html", "https://www.redirect.test/mta-sts.txt", new byte[0]));
    published("ctype", "mx1.good.test");
    policies.serve(
        "mta-sts.ctype.test",
        new Answer(
            200,
            "text/html; charset=utf-8",
            null,
            "version: STSv1\nmode: enforce\nmx: mx1.good.test\nmax_age: 604800\n"
                .getBytes(StandardCharsets.US_ASCII)));
    published("big", "mx1.good.test");
    policies.serve(
        "mta-sts.big.test", Answer.policy(GOOD_POLICY + "x: " + "y".repeat(70_000) + "\n"));
    published("badcert", "mx1.good.test");
    badCert.serve("mta-sts.badcert.test", Answer.policy(GOOD_POLICY));

    zone.txt("_mta-sts.records.test", "v=STSv1; id=not-valid!")
        .txt("_smtp._tls.records.test", "v=TLSRPTv1; rua=mailto:tlsrpt@records.test,ftp://x.test/r")
        .txt("_mta-sts.twosts.test", "v=STSv1; id=1")
        .txt("_mta-sts.twosts.test", "v=STSv1; id=2")
        .forward("slow.test", "127.0.0.1#" + silentDns.getLocalPort())
        .start();
  }

  /** The _mta-sts and _smtp._tls records (the latter split in two strings) and the MX records. */
  private static void published(String name, String... mx) {
    String d = name + ".test";
    zone.txt("_mta-sts." + d, "v=STSv1; id=20250101T000000");
    zone.txt("_smtp._tls." + d, "v=TLSRPTv1; ", "rua=mailto:tlsrpt@" + d);
    for (int i = 0; i < mx.length; i++) {
      zone.mx(d, mx[i], 10 * (i + 1));
    }
  }

  private static void smtp(String address, Path keyStore) throws Exception {
    SMTPServer.Builder b =
        SMTPServer.port(smtpPort)
            .bindAddress(InetAddress.getByName(address))
            .hostName("mx.test")
            .messageHandlerFactory(ctx -> null);
    if (keyStore != null) {
      b.enableTLS().startTlsSocketFactory(TestPki.context(keyStore));
    }
    SMTPServer s = b.build();
    s.start();
    servers.add(s::stop);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable s : servers) {
      s.close();
    }
    if (zone != null) {
      zone.close();
    }
    if (silentDns != null) {
      silentDns.close();
    }
  }

  static CheckOptions options(String dnsServer, Clock clock) {
    return new CheckOptions(
        dnsServer,
        httpsPort,
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
    return check(domain, Clock.systemUTC());
  }

  static CheckResult check(String domain, Clock clock) {
    return new PostureChecker(options(zone.address(), clock)).check(domain);
  }

  static Finding only(CheckResult r, String id) {
    List<Finding> f = r.findings(id);
    assertThat(f).as("findings %s in %s", id, r.findings()).hasSize(1);
    return f.getFirst();
  }

  static Clock daysFromNow(int days) {
    return Clock.fixed(Instant.now().plus(Duration.ofDays(days)), ZoneOffset.UTC);
  }

  @Test
  void passesADomainWhereEverythingIsRight() {
    CheckResult r = check("Good.Test.");

    assertThat(r.domain()).isEqualTo("good.test");
    assertThat(r.findings())
        .as("%s", r.findings())
        .allSatisfy(f -> assertThat(f.status()).isIn(Status.OK, Status.NOT_CHECKED));
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.exitCode()).isZero();
    assertThat(only(r, "dns.mta_sts_txt").facts()).containsEntry("policy_id", "20250101T000000");
    assertThat(only(r, "dns.tlsrpt_txt").message()).contains("mailto:tlsrpt@good.test");
    assertThat(only(r, "mx.policy_match").facts()).containsEntry("pattern", "*.good.test");
    assertThat(only(r, "policy.syntax").facts()).containsEntry("mode", "enforce");
    assertThat(only(r, "mx.starttls").message()).contains("TLSv1.3");
    assertThat(Integer.parseInt(only(r, "mx.certificate_expiry").facts().get("days_to_expiry")))
        .isBetween(TestPki.LEAF_DAYS - 2, TestPki.LEAF_DAYS);
    assertThat(only(r, "dane.dnssec").status()).isEqualTo(Status.NOT_CHECKED);
    assertThat(only(r, "cross.reported_policy").status()).isEqualTo(Status.NOT_CHECKED);
    assertThat(only(r, "cross.reported_policy").message()).contains("not checked");
  }

  @Test
  void warnsWhenACertificateExpiresWithinTheWarningDays() {
    CheckResult r = check("good.test", daysFromNow(TestPki.LEAF_DAYS - 10));

    Finding f = only(r, "mx.certificate_expiry");
    assertThat(f.status()).isEqualTo(Status.WARN);
    assertThat(f.message()).contains("expires in");
    assertThat(Integer.parseInt(f.facts().get("days_to_expiry"))).isBetween(8, 10);
    assertThat(f.remedy()).contains("renew");
    assertThat(only(r, "policy.certificate_expiry").status()).isEqualTo(Status.WARN);
    assertThat(r.status()).isEqualTo(Status.WARN);
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void failsAnExpiredCertificateWhileStillJudgingItsChainTrusted() {
    CheckResult r = check("good.test", daysFromNow(TestPki.LEAF_DAYS + 5));

    Finding f = only(r, "mx.certificate_expiry");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("expired on");
    assertThat(only(r, "mx.certificate_trust").status()).isEqualTo(Status.OK);
    assertThat(only(r, "mx.certificate_name").status()).isEqualTo(Status.OK);
    assertThat(only(r, "policy.certificate_expiry").status()).isEqualTo(Status.FAIL);
    assertThat(only(r, "policy.fetch").status()).isEqualTo(Status.FAIL);
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void failsACertificateForAnotherNameButTrustsItsChain() {
    CheckResult r = check("wrongname.test");

    Finding f = only(r, "mx.certificate_name");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).startsWith("name mismatch").contains("other.test");
    assertThat(f.remedy()).contains("mx.wrongname.test");
    assertThat(only(r, "mx.certificate_trust").status()).isEqualTo(Status.OK);
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void failsASelfSignedCertificateAsUntrustedButNotAsAMismatch() {
    CheckResult r = check("selfsigned.test");

    Finding f = only(r, "mx.certificate_trust");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).startsWith("untrusted chain").contains("self-signed");
    assertThat(only(r, "mx.certificate_name").status()).isEqualTo(Status.OK);
  }

  @Test
  void failsAServerThatDoesNotSendItsIntermediate() {
    CheckResult r = check("nochain.test");

    Finding f = only(r, "mx.certificate_trust");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("missing intermediate").contains("tlsrpt Test Intermediate");
    assertThat(f.remedy()).contains("intermediate");
    assertThat(only(r, "mx.certificate_name").status()).isEqualTo(Status.OK);
    assertThat(only(r, "mx.certificate_expiry").status()).isEqualTo(Status.OK);
  }

  @Test
  void failsAnMxWithoutStarttls() {
    CheckResult r = check("nostarttls.test");

    assertThat(only(r, "mx.smtp").status()).isEqualTo(Status.OK);
    Finding f = only(r, "mx.starttls");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("STARTTLS is not offered");
    assertThat(only(r, "mx.certificate_trust").status()).isEqualTo(Status.NOT_CHECKED);
  }

  @Test
  void timesOutOnServersThatAcceptAndNeverAnswer() {
    long started = System.nanoTime();
    CheckResult r = check("silent.test");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    Finding smtp = only(r, "mx.smtp");
    assertThat(smtp.status()).isEqualTo(Status.FAIL);
    assertThat(smtp.message()).contains("banner").contains("no complete answer within 2000 ms");
    Finding fetch = only(r, "policy.fetch");
    assertThat(fetch.status()).isEqualTo(Status.FAIL);
    assertThat(fetch.message()).contains("no complete answer within 2000 ms");
    assertThat(only(r, "policy.syntax").status()).isEqualTo(Status.NOT_CHECKED);
    // two time-outs of 2 s each, not a hang
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void failsWhenThePolicyHostAndMxAreDown() {
    CheckResult r = check("down.test");

    Finding fetch = only(r, "policy.fetch");
    assertThat(fetch.status()).isEqualTo(Status.FAIL);
    assertThat(fetch.message()).contains("127.0.0.17").contains("connection refused");
    assertThat(only(r, "mx.smtp").message()).contains("cannot connect");
    assertThat(only(r, "mx.starttls").status()).isEqualTo(Status.NOT_CHECKED);
    assertThat(only(r, "mx.policy_match").status()).isEqualTo(Status.NOT_CHECKED);
  }

  @Test
  void warnsUnderTestingModeAboutTheModeAndAnUncoveredMx() {
    CheckResult r = check("testing.test");

    assertThat(only(r, "policy.mode").status()).isEqualTo(Status.WARN);
    assertThat(only(r, "policy.mode").remedy()).contains("mode: enforce");
    List<Finding> matches = r.findings("mx.policy_match");
    assertThat(matches)
        .extracting(Finding::subject)
        .containsExactly("mx1.good.test", "mx2.good.test");
    assertThat(matches).extracting(Finding::status).containsExactly(Status.OK, Status.WARN);
    Finding cover = only(r, "cross.mx_not_covered");
    assertThat(cover.status()).isEqualTo(Status.WARN);
    assertThat(cover.facts()).containsEntry("uncovered", "mx2.good.test");
    assertThat(r.status()).isEqualTo(Status.WARN);
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void failsAnMxNotCoveredByAnEnforcedPolicy() {
    CheckResult r = check("uncovered.test");

    Finding cover = only(r, "cross.mx_not_covered");
    assertThat(cover.status()).isEqualTo(Status.FAIL);
    assertThat(cover.message()).contains("mx2.good.test").contains("refuse");
    assertThat(r.findings("mx.policy_match"))
        .extracting(Finding::status)
        .containsExactly(Status.OK, Status.FAIL);
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void warnsAboutAWithdrawnPolicy() {
    CheckResult r = check("none.test");

    assertThat(only(r, "policy.mode").status()).isEqualTo(Status.WARN);
    assertThat(only(r, "policy.mode").message()).contains("mode none");
    assertThat(only(r, "policy.syntax").status()).isEqualTo(Status.OK);
  }

  @Test
  void failsAMalformedPolicyNamingEachProblem() {
    CheckResult r = check("malformed.test");

    Finding f = only(r, "policy.syntax");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("version is 'STSv2'")
        .contains("mode is 'strict'")
        .contains("max_age '99999999999'");
    assertThat(only(r, "policy.mode").status()).isEqualTo(Status.NOT_CHECKED);
    assertThat(only(r, "mx.policy_match").status()).isEqualTo(Status.NOT_CHECKED);
  }

  @Test
  void refusesARedirect() {
    CheckResult r = check("redirect.test");

    Finding f = only(r, "policy.fetch");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("HTTP 301 redirect to https://www.redirect.test/mta-sts.txt")
        .contains("RFC 8461 §3.3");
    assertThat(f.facts()).containsEntry("http_status", "301");
  }

  @Test
  void failsAPolicyServedWithTheWrongContentType() {
    CheckResult r = check("ctype.test");

    assertThat(only(r, "policy.fetch").status()).isEqualTo(Status.OK);
    Finding f = only(r, "policy.content_type");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("text/html");
    assertThat(only(r, "policy.syntax").status()).isEqualTo(Status.OK);
  }

  @Test
  void stopsReadingAPolicyOverTheSizeLimit() {
    CheckResult r = check("big.test");

    Finding f = only(r, "policy.fetch");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("larger than 65536 bytes");
  }

  @Test
  void doesNotFetchFromAPolicyHostWithACertificateForAnotherName() {
    CheckResult r = check("badcert.test");

    assertThat(only(r, "policy.certificate_name").status()).isEqualTo(Status.FAIL);
    assertThat(only(r, "policy.certificate_trust").status()).isEqualTo(Status.OK);
    Finding f = only(r, "policy.fetch");
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).startsWith("not fetched");
  }

  @Test
  void failsInvalidRecordsAndAMissingMxAndPolicyHost() {
    CheckResult r = check("records.test");

    Finding sts = only(r, "dns.mta_sts_txt");
    assertThat(sts.status()).isEqualTo(Status.FAIL);
    assertThat(sts.message()).contains("id 'not-valid!' is not 1 to 32 letters and digits");
    Finding rpt = only(r, "dns.tlsrpt_txt");
    assertThat(rpt.status()).isEqualTo(Status.FAIL);
    assertThat(rpt.message()).contains("'ftp://x.test/r' is neither mailto: nor https:");
    assertThat(only(r, "dns.mx").status()).isEqualTo(Status.FAIL);
    assertThat(only(r, "policy.fetch").message()).contains("mta-sts.records.test has no A or AAAA");
  }

  @Test
  void failsTwoStsRecords() {
    Finding f = only(check("twosts.test"), "dns.mta_sts_txt");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).startsWith("2 TXT records start with v=STSv1");
  }

  @Test
  void saysWhichNamesDoNotExist() {
    CheckResult r = check("nothing.test");

    assertThat(only(r, "dns.mta_sts_txt").message()).contains("NXDOMAIN");
    assertThat(only(r, "dns.tlsrpt_txt").message()).contains("NXDOMAIN");
    assertThat(only(r, "dns.mx").message()).contains("NXDOMAIN");
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void failsEveryLookupWhenNothingListensOnTheDnsPort() throws IOException {
    CheckResult r =
        new PostureChecker(options("127.0.0.1:" + FreePorts.udpAndTcp(), Clock.systemUTC()))
            .check("good.test");

    for (String id : List.of("dns.mta_sts_txt", "dns.tlsrpt_txt", "dns.mx", "policy.fetch")) {
      assertThat(only(r, id).status()).as(id).isEqualTo(Status.FAIL);
    }
    assertThat(only(r, "dns.mx").message()).startsWith("MX lookup failed").contains("127.0.0.1:");
    assertThat(r.findings("mx.smtp")).isEmpty();
  }

  @Test
  void failsLookupsTheDnsServerDoesNotAnswerInTime() {
    CheckResult r = check("slow.test");

    assertThat(only(r, "dns.mta_sts_txt").message())
        .startsWith("TXT lookup failed: no answer within 2000 ms");
    // the later lookups of the same check do not wait again
    assertThat(only(r, "dns.mx").message()).contains("no answer within 2000 ms");
  }

  @Test
  void comparesThePolicyWithThePoliciesSendersReported() {
    Instant day = Instant.parse("2026-01-01T00:00:00Z");
    List<String> current =
        List.of("version: STSv1", "mode: enforce", "mx: *.good.test", "max_age: 604800");
    List<String> old =
        List.of("version: STSv1", "mode: testing", "mx: *.good.test", "max_age: 86400");
    ReportedPolicies stored =
        (domain, since) -> {
          assertThat(domain).isEqualTo("good.test");
          return List.of(
              new ReportedPolicies.Reported("Google Inc.", current.reversed(), day),
              new ReportedPolicies.Reported("Microsoft Corporation", old, day));
        };

    CheckResult r =
        new PostureChecker(options(zone.address(), Clock.systemUTC()), stored).check("good.test");

    Finding f = only(r, "cross.reported_policy");
    assertThat(f.status()).isEqualTo(Status.WARN);
    assertThat(f.message()).contains("1 of 2").contains("Microsoft Corporation");
    assertThat(f.facts()).containsEntry("other_policy", "Microsoft Corporation");
    assertThat(f.remedy()).contains("change the id");
  }

  @Test
  void saysWhenStoredReportsCouldNotBeRead() {
    ReportedPolicies broken =
        (domain, since) -> {
          throw new IllegalStateException("store is busy");
        };

    Finding f =
        only(
            new PostureChecker(options(zone.address(), Clock.systemUTC()), broken)
                .check("good.test"),
            "cross.reported_policy");

    assertThat(f.status()).isEqualTo(Status.NOT_CHECKED);
    assertThat(f.message()).contains("not checked").contains("store is busy");
  }

  @Test
  void acceptsTheSameReportedPolicyWrittenDifferently() {
    ReportedPolicies stored =
        (domain, since) ->
            List.of(
                new ReportedPolicies.Reported(
                    "Google Inc.",
                    List.of(
                        "version:STSv1", "MODE: enforce", "mx: *.GOOD.test", "max_age: 604800", ""),
                    Instant.EPOCH));

    Finding f =
        only(
            new PostureChecker(options(zone.address(), Clock.systemUTC()), stored)
                .check("good.test"),
            "cross.reported_policy");

    assertThat(f.status()).as(f.message()).isEqualTo(Status.OK);
    assertThat(f.facts()).containsEntry("organizations", "1");
  }

  /** Runs {@code tlsrpt check} in-process against the test servers. */
  static String[] cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cl = org.tlsrpt.app.cli.TlsrptCommand.commandLine();
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "check",
                "--dns-server",
                zone.address(),
                "--https-port",
                Integer.toString(httpsPort),
                "--smtp-port",
                Integer.toString(smtpPort),
                "--truststore",
                trustStore.toString(),
                "--truststore-password",
                TestPki.PASSWORD,
                "--timeout",
                "2"));
    all.addAll(List.of(args));
    int exit = cl.execute(all.toArray(String[]::new));
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void commandExitsZeroWhenAllIsWell() {
    String[] r = cli("good.test");

    assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
    assertThat(r[1]).startsWith("good.test: OK (").contains("mx.certificate_expiry");
  }

  @Test
  void commandPrintsATableWithWhatToDoAndExitsTwoOnAFailure() {
    String[] r = cli("uncovered.test");

    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1])
        .startsWith("uncovered.test: FAIL (")
        .containsPattern("FAIL  cross\\.mx_not_covered +policy mx vs MX records +1 of 2 MX hosts")
        .contains("what to do: add an mx line for each");
  }

  @Test
  void commandPrintsOneJsonObjectPerDomainAndExitsOneOnWarningsOnly() throws Exception {
    String[] r = cli("--format", "json", "good.test", "testing.test");

    assertThat(r[0]).as(r[1] + r[2]).isEqualTo("1");
    List<String> lines = r[1].lines().toList();
    assertThat(lines).hasSize(2);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var good = json.readTree(lines.get(0));
    var testing = json.readTree(lines.get(1));
    assertThat(good.path("domain").asText()).isEqualTo("good.test");
    assertThat(good.path("status").asText()).isEqualTo("ok");
    assertThat(testing.path("status").asText()).isEqualTo("warn");
    var mode =
        testing.path("findings").findParents("id").stream()
            .filter(n -> n.path("id").asText().equals("policy.mode"))
            .findFirst()
            .orElseThrow();
    assertThat(mode.path("status").asText()).isEqualTo("warn");
    assertThat(mode.path("facts").path("mode").asText()).isEqualTo("testing");
    assertThat(mode.path("remedy").asText()).isNotEmpty();
  }

  @Test
  void commandJudgesCertificatesAtTheInstantGivenByNow() {
    String[] r =
        cli(
            "--now",
            Instant.now().plus(Duration.ofDays(TestPki.LEAF_DAYS + 1)).toString(),
            "good.test");

    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("expired on");
  }

  @Test
  void commandRefusesSomethingThatIsNotADomainAsAUsageError() {
    String[] r = cli("not a domain");

    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("'not a domain' is not a domain name");
    assertThat(r[1]).isEmpty();
  }

  @Test
  void commandSaysStoredReportsWereNotCheckedWithoutAStore() {
    String[] r = cli("--format", "json", "good.test");

    assertThat(r[1]).contains("stored reports not checked: no store given (--data-dir)");
  }

  @Test
  void theWatchStoresEachRunAndAlertsOncePerChange() throws Exception {
    Path lib = Path.of(System.getenv("TLSRPT_CHDB_LIBRARY"));
    try (org.tlsrpt.storage.engine.ClickHouse ch =
        org.tlsrpt.storage.engine.EmbeddedClickHouse.open(lib, dir.resolve("watch-store"))) {
      new org.tlsrpt.storage.schema.Migrations(
              ch, org.tlsrpt.storage.schema.SchemaOptions.local("tlsrpt"))
          .apply();
      org.tlsrpt.alerting.AlertEngine alerts =
          new org.tlsrpt.alerting.AlertEngine(
              ch,
              "tlsrpt",
              List.of(),
              new org.tlsrpt.alerting.AlertOptions(
                  Duration.ofHours(6), 200, 100, 2, 10, "http://dash.test/"),
              Clock.systemUTC());
      List<String> domains = List.of("good.test", "uncovered.test");
      java.util.function.Function<Clock, org.tlsrpt.posture.watch.PostureWatch> watch =
          clock ->
              new org.tlsrpt.posture.watch.PostureWatch(
                  domains,
                  new PostureChecker(options(zone.address(), clock)),
                  ch,
                  "tlsrpt",
                  alerts,
                  "http://dash.test/");
      java.util.function.Function<String, String> q =
          sql -> new String(ch.query(sql, "TabSeparated"), StandardCharsets.UTF_8).trim();

      // today: good.test is fine; uncovered.test has an MX the enforce policy does not cover
      List<CheckResult> first = watch.apply(Clock.systemUTC()).runOnce();
      assertThat(first).extracting(CheckResult::status).containsExactly(Status.OK, Status.FAIL);
      assertThat(q.apply("SELECT uniqExact(domain), count() FROM tlsrpt.posture_findings"))
          .isEqualTo("2\t" + (first.get(0).findings().size() + first.get(1).findings().size()));
      assertThat(q.apply("SELECT rule, alert_key FROM tlsrpt.alerts ORDER BY rule, alert_key"))
          .isEqualTo("posture_drift\tuncovered.test|mx2.good.test");
      assertThat(q.apply("SELECT message FROM tlsrpt.alerts"))
          .startsWith("uncovered.test: cross.mx_not_covered fail for ")
          .contains("What to do: ");

      // the same again: nothing new is said
      watch.apply(Clock.systemUTC()).runOnce();
      assertThat(q.apply("SELECT count() FROM tlsrpt.alerts")).isEqualTo("1");
      assertThat(
              q.apply(
                  "SELECT domain, uniqExact(checked_at) FROM tlsrpt.posture_findings GROUP BY"
                      + " domain ORDER BY domain"))
          .isEqualTo("good.test\t2\nuncovered.test\t2");

      // 80 days on, the 90-day certificates are within the 14 warning days: one alert each
      watch.apply(daysFromNow(80)).runOnce();
      String expiring =
          q.apply(
              "SELECT count() FROM tlsrpt.alerts WHERE rule = 'posture_certificate_expiry' AND"
                  + " alert_key LIKE 'good.test|mx.certificate_expiry|mx1.good.test|%|WARN'");
      assertThat(expiring).isEqualTo("1");
      long afterWarn = Long.parseLong(q.apply("SELECT count() FROM tlsrpt.alerts"));
      watch.apply(daysFromNow(81)).runOnce();
      assertThat(Long.parseLong(q.apply("SELECT count() FROM tlsrpt.alerts"))).isEqualTo(afterWarn);

      // 100 days on they have expired: said once more, as expired
      watch.apply(daysFromNow(100)).runOnce();
      assertThat(
              q.apply(
                  "SELECT count() FROM tlsrpt.alerts WHERE rule = 'posture_certificate_expiry'"
                      + " AND alert_key LIKE 'good.test|mx.certificate_expiry|mx1.good.test|%|FAIL'"))
          .isEqualTo("1");
      assertThat(
              q.apply(
                  "SELECT message FROM tlsrpt.alerts WHERE alert_key LIKE"
                      + " 'good.test|mx.certificate_expiry|mx1.good.test|%|FAIL'"))
          .startsWith("good.test: mx.certificate_expiry fail for mx1.good.test: ");
      alerts.close();
    }
  }
}

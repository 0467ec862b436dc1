package org.tlsrpt.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.server.SMTPServer;
import org.tlsrpt.alerting.AlertEngine;
import org.tlsrpt.alerting.AlertOptions;
import org.tlsrpt.app.check.PolicyServer.Answer;
import org.tlsrpt.posture.CheckOptions;
import org.tlsrpt.posture.PostureChecker;
import org.tlsrpt.posture.ReportedPolicies;
import org.tlsrpt.posture.dane.DaneCheck;
import org.tlsrpt.posture.dane.DaneSettings;
import org.tlsrpt.posture.dane.ReportedDaneFailures;
import org.tlsrpt.posture.watch.PostureWatch;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import org.tlsrpt.testkit.FreePorts;
import org.tlsrpt.testkit.SignedZones;
import org.tlsrpt.testkit.SignedZones.Signing;
import org.tlsrpt.testkit.TestPki;
import org.tlsrpt.testkit.TestPki.Issuer;

/**
 * {@code tlsrpt check} and the posture watch with DANE, against NSD serving a signed test tree
 * (trust anchor {@code test.}), an MTA-STS policy host and STARTTLS MX hosts on loopback: the table
 * and JSON show the DANE findings beside the MTA-STS ones, a domain without DNSSEC gets one plain
 * line, and the watch stores the findings and alerts once on a TLSA mismatch.
 */
class DaneCheckCommandIT {
  @TempDir static Path dir;
  static SignedZones zones;
  static Path trustStore;
  static int smtpPort;
  static int httpsPort;
  static final List<AutoCloseable> servers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = new TestPki(dir);
    trustStore = pki.trustStore();
    smtpPort = FreePorts.udpAndTcp();
    httpsPort = FreePorts.udpAndTcp();
    smtp("127.0.0.52", pki.server("both-mx", Issuer.INTERMEDIATE_SENT, "mx.both.test"));
    smtp("127.0.0.53", pki.server("broken-mx", Issuer.INTERMEDIATE_SENT, "mx.broken.test"));
    PolicyServer policies =
        new PolicyServer(
            "127.0.0.51",
            httpsPort,
            TestPki.context(
                pki.server("both-policy", Issuer.INTERMEDIATE_SENT, "mta-sts.both.test")));
    servers.add(policies);
    policies.serve(
        "mta-sts.both.test",
        Answer.policy("version: STSv1\nmode: enforce\nmx: mx.both.test\nmax_age: 604800\n"));
    String key = TestPki.hex("SHA-256", pki.certificate("both-mx").getPublicKey().getEncoded());
    pki.server("next", Issuer.SELF_SIGNED, "next.test");
    String next = TestPki.hex("SHA-256", pki.certificate("next").getPublicKey().getEncoded());

    zones = new SignedZones(dir);
    zones
        .zone("both.test")
        .record("@ MX 10 mx.both.test.")
        .record("_mta-sts TXT \"v=STSv1; id=20260101\"")
        .record("_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@both.test\"")
        .record("mta-sts A 127.0.0.51")
        .record("mx A 127.0.0.52")
        .record("_25._tcp.mx TLSA 3 1 1 " + key)
        .record("_25._tcp.mx TLSA 3 1 1 " + next);
    zones
        .zone("broken.test")
        .record("@ MX 10 mx.broken.test.")
        .record("mx A 127.0.0.53")
        .record("_25._tcp.mx TLSA 3 1 1 " + key)
        .record("_25._tcp.mx TLSA 3 1 1 " + next);
    zones
        .zone("plain.test")
        .signing(Signing.UNSIGNED)
        .record("@ MX 10 mx.plain.test.")
        .record("mx A 127.0.0.52");
    zones.start();
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
    servers.add(s::stop);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable s : servers) {
      s.close();
    }
    if (zones != null) {
      zones.close();
    }
  }

  static String[] cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cl = org.tlsrpt.app.cli.TlsrptCommand.commandLine();
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    List<String> all =
        new ArrayList<>(
            List.of(
                "check",
                "--dns-server",
                zones.address(),
                "--dnssec-trust-anchor",
                zones.trustAnchor().toString(),
                "--https-port",
                Integer.toString(httpsPort),
                "--smtp-port",
                Integer.toString(smtpPort),
                "--truststore",
                trustStore.toString(),
                "--truststore-password",
                TestPki.PASSWORD,
                "--timeout",
                "3"));
    all.addAll(List.of(args));
    int exit = cl.execute(all.toArray(String[]::new));
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void tablePrintsTheDaneVerdictsBesideTheMtaStsOnes() {
    String[] r = cli("both.test");

    assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
    assertThat(r[1])
        .startsWith("both.test: OK (")
        .containsPattern("ok    policy\\.mode +\\S+ +mode enforce")
        .containsPattern(
            "ok    dane\\.dnssec +both\\.test +secure: both\\.test's MX records validate")
        .containsPattern("ok    dane\\.tlsa_match +mx\\.both\\.test +record \\d of 2 \\(3 1 1 ")
        .containsPattern(
            "ok    cross\\.dane_and_sts +both\\.test +both DANE \\(1 of 1 MX hosts with TLSA"
                + " records\\) and MTA-STS \\(mode enforce\\): senders that validate DNSSEC use DANE");
  }

  @Test
  void jsonCarriesEachDaneFindingWithItsFacts() throws Exception {
    String[] r = cli("--format", "json", "both.test");

    JsonNode json = new ObjectMapper().readTree(r[1].lines().findFirst().orElseThrow());
    JsonNode match =
        json.path("findings").findParents("id").stream()
            .filter(n -> n.path("id").asText().equals("dane.tlsa_match"))
            .findFirst()
            .orElseThrow();
    assertThat(match.path("status").asText()).isEqualTo("ok");
    assertThat(match.path("subject").asText()).isEqualTo("mx.both.test");
    assertThat(match.path("facts").path("matched_record").asText()).startsWith("3 1 1 ");
    JsonNode expiry =
        json.path("findings").findParents("id").stream()
            .filter(n -> n.path("id").asText().equals("dane.signature_expiry"))
            .findFirst()
            .orElseThrow();
    assertThat(expiry.path("facts").path("days_to_expiry").asInt()).isBetween(398, 400);
  }

  @Test
  void aDomainWithoutDnssecGetsOnePlainDaneLineQuickly() {
    long started = System.nanoTime();
    String[] r = cli("plain.test");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    List<String> dane = r[1].lines().filter(l -> l.contains("dane")).toList();
    assertThat(dane)
        .singleElement()
        .asString()
        .containsPattern(
            "ok    dane\\.dnssec +plain\\.test +DANE does not apply: plain\\.test's MX records are"
                + " not DNSSEC-signed \\(insecure\\)");
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void noDaneLeavesDnssecUnchecked() {
    String[] r = cli("--no-dane", "both.test");

    assertThat(r[1]).contains("DNSSEC and DANE not checked: check.dane is false");
  }

  @Test
  void theWatchStoresTheDaneFindingsAndAlertsOnceOnATlsaMismatch() throws Exception {
    Path lib = Path.of(System.getenv("TLSRPT_CHDB_LIBRARY"));
    try (ClickHouse ch = EmbeddedClickHouse.open(lib, dir.resolve("watch-store"))) {
      new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
      AlertEngine alerts =
          new AlertEngine(
              ch,
              "tlsrpt",
              List.of(),
              new AlertOptions(Duration.ofHours(6), 200, 100, 2, 10, "http://dash.test/"),
              Clock.systemUTC());
      CheckOptions o =
          new CheckOptions(
              zones.address(),
              httpsPort,
              smtpPort,
              trustStore,
              TestPki.PASSWORD,
              Duration.ofSeconds(3),
              "checker.test",
              14,
              Clock.systemUTC(),
              65536);
      DaneSettings settings = new DaneSettings(true, zones.trustAnchor(), 2);
      PostureWatch watch =
          new PostureWatch(
              List.of("broken.test"),
              new PostureChecker(
                  o,
                  ReportedPolicies.unavailable("none"),
                  new DaneCheck(o, settings, ReportedDaneFailures.unavailable("none"))),
              ch,
              "tlsrpt",
              alerts,
              "http://dash.test/");
      Function<String, String> q =
          sql -> new String(ch.query(sql, "TabSeparated"), StandardCharsets.UTF_8).trim();

      watch.runOnce();
      watch.runOnce();

      assertThat(
              q.apply(
                  "SELECT status FROM tlsrpt.posture_findings WHERE finding = 'dane.tlsa_match'"
                      + " ORDER BY checked_at"))
          .isEqualTo("FAIL\nFAIL");
      assertThat(q.apply("SELECT rule, alert_key FROM tlsrpt.alerts WHERE rule = 'posture_dane'"))
          .isEqualTo("posture_dane\tbroken.test|dane.tlsa_match|mx.broken.test");
      assertThat(q.apply("SELECT message FROM tlsrpt.alerts WHERE rule = 'posture_dane'"))
          .startsWith(
              "broken.test: dane.tlsa_match fail for mx.broken.test: no TLSA record matches the"
                  + " certificate chain mx.broken.test presents")
          .contains("What to do: publish a record for the certificate in use");
      alerts.close();
    }
  }
}

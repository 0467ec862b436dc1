package org.tlsrpt.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.config.Settings;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Alert;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import org.tlsrpt.testkit.EmbeddedEngine;

/**
 * In-app alerting against a real HTTP receiver and a real SMTP server (SubEthaSMTP, STARTTLS
 * required), on the embedded store: enforce-mode failures alert once per (domain, sender, result
 * type) with every field, the cooldown holds across a restart and ends on time, and the scheduled
 * rules find a failure rate above its baseline, a silent daily reporter and a rejected spike.
 */
class AlertingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final char[] PW = "alerts-test".toCharArray();
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path dir;
  private ClickHouse ch;
  private HttpServer receiver;
  private StartTlsMailbox mailbox;
  private final List<String> posts = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("store"));
    new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        x -> {
          try (x;
              InputStream in = x.getRequestBody()) {
            posts.add(
                x.getRequestURI().getQuery()
                    + " "
                    + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(204, -1);
          }
        });
    receiver.start();
    mailbox = new StartTlsMailbox(dir.resolve("tls"), PW);
  }

  @AfterEach
  void stop() {
    mailbox.close();
    receiver.stop(0);
    ch.close();
  }

  private String hook(String format) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?" + format;
  }

  private EmailNotifier email() {
    return new EmailNotifier(
        "localhost",
        mailbox.port(),
        EmailNotifier.StartTls.REQUIRED,
        mailbox.clientTls(),
        "",
        "",
        "tlsrpt@alerts.test",
        "postmaster@example.com");
  }

  private AlertEngine engine(Clock clock) {
    List<Notifier> channels =
        List.of(
            new WebhookNotifier(URI.create(hook("json")), "json"),
            new WebhookNotifier(URI.create(hook("slack")), "slack"),
            email());
    return new AlertEngine(
        ch,
        "tlsrpt",
        channels,
        new AlertOptions(Duration.ofHours(6), 200, 100, 2, 10, "http://dash.test/"),
        clock);
  }

  /** A report for one day and domain; failures as {result type, mx, sessions}. */
  private static String report(
      String org,
      String id,
      LocalDate day,
      String domain,
      String mode,
      long ok,
      Object[]... failures) {
    long failed = 0;
    StringBuilder details = new StringBuilder();
    for (Object[] f : failures) {
      failed += (Long) f[2];
      details
          .append(details.isEmpty() ? "" : ",")
          .append("{\"result-type\":\"")
          .append(f[0])
          .append("\",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":\"")
          .append(f[1])
          .append("\",\"failed-session-count\":")
          .append(f[2])
          .append('}');
    }
    return "{\"organization-name\":\""
        + org
        + "\",\"date-range\":{\"start-datetime\":\""
        + day
        + "T00:00:00Z\",\"end-datetime\":\""
        + day
        + "T23:59:59Z\"},\"contact-info\":\"tlsrpt@"
        + org.toLowerCase(java.util.Locale.ROOT).replace(' ', '-')
        + ".test\",\"report-id\":\""
        + id
        + "\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: "
        + mode
        + "\",\"mx: *.example.com\",\"max_age: 86400\"],\"policy-domain\":\""
        + domain
        + "\",\"mx-host\":[\"*.example.com\"]},\"summary\":{\"total-successful-session-count\":"
        + ok
        + ",\"total-failure-session-count\":"
        + failed
        + "},\"failure-details\":["
        + details
        + "]}]}";
  }

  private static Incoming incoming(String json, Instant at) {
    return new Incoming(
        new ReportParser()
            .parseHttpBody(json.getBytes(StandardCharsets.UTF_8), "application/tlsrpt+json"),
        Source.HTTPS,
        at,
        DkimResult.UNAUTHENTICATED,
        null);
  }

  private List<String> posts(String format) {
    return posts.stream()
        .filter(p -> p.startsWith(format + " "))
        .map(p -> p.substring(format.length() + 1))
        .toList();
  }

  private static Object[] fail(String type, String mx, long n) {
    return new Object[] {type, mx, n};
  }

  @Test
  void enforceFailuresAlertOnceOnEveryChannelAndTheCooldownHoldsAcrossARestart() throws Exception {
    LocalDate day = LocalDate.of(2026, 3, 9);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    AlertEngine first = engine(clock);
    ReportStore store = new ReportStore(ch, "tlsrpt").listen(first);
    store.store(
        List.of(
            incoming(
                report(
                    "Mail Sender Inc",
                    "r1",
                    day,
                    "example.com",
                    "enforce",
                    900,
                    fail("certificate-expired", "mx1.example.com", 12L),
                    fail("certificate-expired", "mx2.example.com", 3L),
                    fail("starttls-not-supported", "mx2.example.com", 5L)),
                NOW),
            // testing mode: nothing is refused, no alert
            incoming(
                report(
                    "Other Sender",
                    "r2",
                    day,
                    "example.org",
                    "testing",
                    10,
                    fail("certificate-expired", "mx.example.org", 7L)),
                NOW)));
    first.drain();

    List<String> json = posts("json");
    assertThat(json).hasSize(2);
    JsonNode expired =
        json.stream()
            .map(AlertingIT::tree)
            .filter(n -> n.get("result_types").get(0).asText().equals("certificate-expired"))
            .findFirst()
            .orElseThrow();
    assertThat(expired.get("rule").asText()).isEqualTo("enforce_failures");
    assertThat(expired.get("policy_domain").asText()).isEqualTo("example.com");
    assertThat(expired.get("organization").asText()).isEqualTo("Mail Sender Inc");
    assertThat(expired.get("mode").asText()).isEqualTo("enforce");
    assertThat(expired.get("failed_sessions").asLong()).isEqualTo(15);
    assertThat(expired.get("mx_hosts").toString())
        .isEqualTo("[\"mx1.example.com\",\"mx2.example.com\"]");
    assertThat(expired.get("window_start").asText()).isEqualTo("2026-03-09T00:00:00Z");
    assertThat(expired.get("window_end").asText()).isEqualTo("2026-03-09T23:59:59Z");
    assertThat(expired.get("link").asText())
        .isEqualTo("http://dash.test/?domain=example.com&org=Mail+Sender+Inc#readiness");
    List<String> slack = posts("slack");
    assertThat(slack).hasSize(2);
    assertThat(tree(slack.getFirst()).get("text").asText())
        .contains("example.com")
        .contains("Mail Sender Inc")
        .contains("Policy mode: enforce")
        .contains("Dashboard: http://dash.test/");
    assertThat(mailbox.mails()).hasSize(2);
    assertThat(String.join("\n", mailbox.mails()))
        .contains("Subject: [tlsrpt] example.com: 15 session(s) from Mail Sender Inc failed")
        .contains("MX hosts: mx2.example.com")
        .contains("X-Tlsrpt-Alert: enforce_failures");
    assertThat(
            query(
                "SELECT rule, alert_key, failed_sessions, delivery FROM tlsrpt.alerts ORDER BY alert_key"))
        .isEqualTo(
            "enforce_failures\texample.com|Mail Sender Inc|certificate-expired\t15\tsent\n"
                + "enforce_failures\texample.com|Mail Sender Inc|starttls-not-supported\t5\tsent");

    // a later report with the same failures: cooling down, nothing sent
    store.store(
        List.of(
            incoming(
                report(
                    "Mail Sender Inc",
                    "r3",
                    day.plusDays(1),
                    "example.com",
                    "enforce",
                    10,
                    fail("certificate-expired", "mx1.example.com", 1L)),
                NOW)));
    first.drain();
    assertThat(first.suppressed()).isEqualTo(1);
    first.close();

    // restarted: the cooldown comes back from the alert history
    AlertEngine second = engine(Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC));
    store.listen(second);
    store.store(
        List.of(
            incoming(
                report(
                    "Mail Sender Inc",
                    "r4",
                    day.plusDays(1),
                    "example.com",
                    "enforce",
                    10,
                    fail("certificate-expired", "mx1.example.com", 2L)),
                NOW)));
    second.drain();
    assertThat(second.suppressed()).isEqualTo(1);
    assertThat(posts("json")).hasSize(2);
    assertThat(mailbox.mails()).hasSize(2);
    second.close();

    // after the cooldown (6 h) the same failure alerts again
    AlertEngine third = engine(Clock.fixed(NOW.plus(Duration.ofHours(7)), ZoneOffset.UTC));
    store.listen(third);
    store.store(
        List.of(
            incoming(
                report(
                    "Mail Sender Inc",
                    "r5",
                    day.plusDays(1),
                    "example.com",
                    "enforce",
                    10,
                    fail("certificate-expired", "mx1.example.com", 4L)),
                NOW)));
    third.drain();
    assertThat(third.fired()).isEqualTo(1);
    assertThat(posts("json")).hasSize(3);
    assertThat(tree(posts("json").get(2)).get("failed_sessions").asLong()).isEqualTo(4);
    assertThat(mailbox.mails()).hasSize(3);
    third.close();
  }

  @Test
  void aFailedDeliveryIsRecordedAndTriedAgain() throws Exception {
    receiver.stop(0); // the webhook is down
    AlertEngine e =
        new AlertEngine(
            ch,
            "tlsrpt",
            List.of(new WebhookNotifier(URI.create(hook("json")), "json")),
            new AlertOptions(Duration.ofHours(6), 200, 100, 2, 10, "http://dash.test/"),
            Clock.fixed(NOW, ZoneOffset.UTC));
    ReportStore store = new ReportStore(ch, "tlsrpt").listen(e);
    store.store(
        List.of(
            incoming(
                report(
                    "Mail Sender Inc",
                    "f1",
                    LocalDate.of(2026, 3, 9),
                    "example.com",
                    "enforce",
                    1,
                    fail("validation-failure", "mx1.example.com", 9L)),
                NOW)));
    e.drain();
    assertThat(e.deliveryFailures()).isEqualTo(1);
    assertThat(e.fired()).isZero();
    assertThat(query("SELECT delivery FROM tlsrpt.alerts")).startsWith("failed: webhook: ");
    // not cooling down: the scheduled check sends it again (and fails again here)
    e.check();
    assertThat(e.deliveryFailures()).isEqualTo(2);
    e.close();
  }

  @Test
  void scheduledRulesFindABaselineJumpASilentReporterAndARejectedSpike() throws Exception {
    ReportStore store = new ReportStore(ch, "tlsrpt");
    List<Incoming> batch = new ArrayList<>();
    for (int d = 1; d <= 9; d++) {
      LocalDate day = LocalDate.of(2026, 3, d);
      // a.example.com: 1% failures for a week, then 20% on the 9th
      boolean jump = d == 9;
      batch.add(
          incoming(
              report(
                  "Steady Sender",
                  "a" + d,
                  day,
                  "a.example.com",
                  "testing",
                  jump ? 800 : 990,
                  fail("certificate-expired", "mx.a.example.com", jump ? 200L : 10L)),
              NOW));
      if (d <= 7) { // a daily reporter that stops after the 7th
        batch.add(incoming(report("Quiet Org", "q" + d, day, "b.example.com", "testing", 50), NOW));
      }
    }
    for (int i = 0; i < 12; i++) { // rejected in the last hour
      batch.add(
          new Incoming(
              new ReportParser()
                  .parseHttpBody(
                      ("{\"broken\": " + i + "}").getBytes(StandardCharsets.UTF_8),
                      "application/tlsrpt+json"),
              Source.HTTPS,
              NOW.minus(Duration.ofMinutes(5 + i)),
              DkimResult.UNAUTHENTICATED,
              null));
    }
    store.store(batch);
    Map<String, String> env = new HashMap<>();
    env.put("TLSRPT_ALERTS_WEBHOOK_URL", hook("json"));
    env.put("TLSRPT_ALERTS_EMAIL_TO", "postmaster@example.com");
    env.put("TLSRPT_ALERTS_SMTP_HOST", "localhost");
    env.put("TLSRPT_ALERTS_SMTP_PORT", Integer.toString(mailbox.port()));
    env.put("TLSRPT_ALERTS_SMTP_TRUSTSTORE", mailbox.trustStore().toString());
    env.put("TLSRPT_ALERTS_SMTP_TRUSTSTORE_PASSWORD", new String(PW));
    env.put("TLSRPT_ALERTS_CHECK_SECONDS", "0"); // checked by hand below
    AlertSettings s = AlertSettings.from(Settings.load(null, env, AlertSettings.ALL));
    try (AlertEngine e =
        Alerting.create(s, ch, "tlsrpt", null, Clock.fixed(NOW, ZoneOffset.UTC), JobLease.SOLE)) {
      List<Alert> sent = e.check();
      assertThat(sent)
          .extracting(a -> a.rule())
          .containsExactlyInAnyOrder("failure_rate", "reporter_silent", "rejected_spike");
      Alert rate =
          sent.stream().filter(a -> a.rule().equals("failure_rate")).findFirst().orElseThrow();
      assertThat(rate.policyDomain()).isEqualTo("a.example.com");
      assertThat(rate.failedSessions()).isEqualTo(200);
      assertThat(rate.message())
          .isEqualTo(
              "a.example.com: 20.0% of sessions failed on 2026-03-09, against 1.0% over the 7 days"
                  + " before");
      Alert silent =
          sent.stream().filter(a -> a.rule().equals("reporter_silent")).findFirst().orElseThrow();
      assertThat(silent.organization()).isEqualTo("Quiet Org");
      assertThat(silent.message()).contains("until 2026-03-07");
      Alert spike =
          sent.stream().filter(a -> a.rule().equals("rejected_spike")).findFirst().orElseThrow();
      assertThat(spike.message())
          .startsWith("12 inputs were rejected in the last hour (0.0 an hour before)");
      assertThat(posts("json")).hasSize(3);
      assertThat(mailbox.mails()).hasSize(3);
      // checked again: all cooling down
      assertThat(e.check()).isEmpty();
      assertThat(e.suppressed()).isEqualTo(3);
    }
    // a day later, past the cooldown: the rate of the 9th and the silence since the 7th are not
    // announced again; the rejected spike has passed (its inputs are older than an hour)
    Clock later = Clock.fixed(NOW.plus(Duration.ofHours(7)), ZoneOffset.UTC);
    try (AlertEngine e = Alerting.create(s, ch, "tlsrpt", null, later, JobLease.SOLE)) {
      assertThat(e.check()).isEmpty();
      assertThat(e.suppressed()).isEqualTo(2);
    }
    assertThat(posts("json")).hasSize(3);
  }

  private String query(String sql) {
    return new String(ch.query(sql, "TabSeparated"), StandardCharsets.UTF_8).trim();
  }

  private static JsonNode tree(String s) {
    try {
      return JSON.readTree(s);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

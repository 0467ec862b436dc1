package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.demo.DemoData;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.testkit.FreePorts;

/**
 * The dashboard's JSON endpoints and files, served by a real {@link TlsrptServer} on the embedded
 * store with the demo data: the figures equal what the generated reports state.
 */
class WebDashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Covers the whole generated month (30 days ending yesterday), not the bundled samples. */
  private static final String MONTH = "since=31d";

  @TempDir static Path dir;
  private static TlsrptServer server;
  private static DemoData.Outcome demo;
  private static String base;

  static Settings settings(Path dir, int http) {
    Map<String, String> env = new HashMap<>();
    env.put("TLSRPT_CHDB_LIBRARY", System.getenv("TLSRPT_CHDB_LIBRARY"));
    env.put("TLSRPT_DATA_DIR", dir.resolve("data").toString());
    env.put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + http);
    env.put("TLSRPT_SMTP_LISTEN", "127.0.0.1:0");
    env.put("TLSRPT_DKIM_MODE", "off");
    // the scheduled alert rules run when a test asks (alertsFromTheDemoMonthShowInTheHistory)
    env.put("TLSRPT_ALERTS_CHECK_SECONDS", "0");
    return Settings.load(null, env, AllSettings.ALL);
  }

  @BeforeAll
  static void start() throws Exception {
    int port = FreePorts.tcp();
    Settings s = settings(dir, port);
    demo = DemoData.loadIfEmpty(AllSettings.from(s, null), Clock.systemUTC());
    assertThat(demo.loaded()).isTrue();
    server = TlsrptServer.start(s, null);
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static HttpResponse<byte[]> raw(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode api(String path) throws Exception {
    HttpResponse<byte[]> r = raw(path);
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(path + " " + body).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    return JSON.readTree(body);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static long sum(JsonNode rows, String field) {
    long n = 0;
    for (JsonNode r : rows) {
      n += r.get(field).asLong();
    }
    return n;
  }

  @Test
  void overviewAndDailyFiguresEqualTheGeneratedMonth() throws Exception {
    JsonNode o = api("/api/overview?" + MONTH);
    assertThat(o.get("reports").asLong()).isEqualTo(demo.month().reports()).isEqualTo(330);
    assertThat(o.get("successful_sessions").asLong()).isEqualTo(demo.month().successful());
    assertThat(o.get("failed_sessions").asLong()).isEqualTo(demo.month().failed());
    assertThat(o.get("failure_rate").asDouble())
        .isCloseTo(
            (double) demo.month().failed() / (demo.month().successful() + demo.month().failed()),
            org.assertj.core.data.Offset.offset(1e-9));
    assertThat(o.get("organizations").asLong()).isEqualTo(4);
    assertThat(o.get("domains").asLong()).isEqualTo(4);
    assertThat(o.get("rejected_inputs").asLong()).isEqualTo(5);
    assertThat(o.get("quarantined_inputs").asLong()).isEqualTo(1);
    assertThat(o.get("alerts").asLong()).isZero();
    assertThat(o.get("demo_reports").asLong()).isEqualTo(demo.stored().accepted());
    assertThat(o.get("organization").isNull()).isTrue();

    JsonNode days = api("/api/daily?" + MONTH).get("days");
    assertThat(days).hasSize(30);
    assertThat(days.get(0).get("day").asText()).isEqualTo(demo.month().first().toString());
    assertThat(days.get(29).get("day").asText()).isEqualTo(demo.month().last().toString());
    assertThat(sum(days, "successful_sessions")).isEqualTo(demo.month().successful());
    assertThat(sum(days, "failed_sessions")).isEqualTo(demo.month().failed());
    JsonNode modes = days.get(0).get("modes");
    assertThat(modes.fieldNames()).toIterable().containsExactly("enforce", "none", "testing");
    long perMode = 0;
    for (JsonNode d : days) {
      for (JsonNode m : d.get("modes")) {
        perMode += m.get("failed_sessions").asLong();
      }
    }
    assertThat(perMode).isEqualTo(demo.month().failed());
    // the testing domain's backup MX fails every day
    assertThat(days.get(0).at("/modes/testing/failed_sessions").asLong()).isPositive();

    // all time adds the bundled samples
    assertThat(api("/api/overview?since=36500d").get("reports").asLong())
        .isEqualTo(demo.stored().accepted());
  }

  @Test
  void organizationsAndDomainsDrillDownToMxHostsAndFilterTheRest() throws Exception {
    JsonNode orgs = api("/api/organizations?" + MONTH).get("rows");
    Map<String, Long> reports = new HashMap<>();
    orgs.forEach(r -> reports.put(r.get("organization").asText(), r.get("reports").asLong()));
    assertThat(reports)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Google Inc.",
                120L,
                "Microsoft Corporation",
                120L,
                "Mail.ru",
                60L,
                "server.com",
                30L));
    assertThat(sum(orgs, "successful_sessions")).isEqualTo(demo.month().successful());

    JsonNode mailru = api("/api/overview?" + MONTH + "&org=Mail.ru");
    JsonNode mailruRow = null;
    for (JsonNode r : orgs) {
      if (r.get("organization").asText().equals("Mail.ru")) {
        mailruRow = r;
      }
    }
    assertThat(mailruRow).isNotNull();
    assertThat(mailru.get("reports").asLong()).isEqualTo(60);
    assertThat(mailru.get("successful_sessions").asLong())
        .isEqualTo(mailruRow.get("successful_sessions").asLong());
    assertThat(mailru.get("failed_sessions").asLong())
        .isEqualTo(mailruRow.get("failed_sessions").asLong());
    JsonNode mailruDomains = api("/api/domains?" + MONTH + "&org=Mail.ru").get("rows");
    assertThat(mailruDomains.findValuesAsText("domain"))
        .containsExactlyInAnyOrder("example.com", "example.net");
    for (JsonNode f : api("/api/failures?" + MONTH + "&org=Mail.ru").get("rows")) {
      assertThat(f.get("organizations").get(0).asText()).isEqualTo("Mail.ru");
      assertThat(f.get("organizations")).hasSize(1);
    }

    JsonNode domains = api("/api/domains?" + MONTH).get("rows");
    assertThat(domains.findValuesAsText("domain"))
        .containsExactly("example.com", "example.net", "example.org", "shop.example.com");
    assertThat(domains.get(0).get("reports").asLong()).isEqualTo(120);
    assertThat(domains.get(0).get("modes").get(0).asText()).isEqualTo("enforce");
    assertThat(domains.get(1).get("modes").get(0).asText()).isEqualTo("testing");
    assertThat(domains.get(2).get("modes")).isEmpty();
    JsonNode com = api("/api/domains?" + MONTH + "&domain=example.com").get("rows");
    assertThat(com).hasSize(1);
    JsonNode mx = com.get(0).get("mx_hosts");
    assertThat(mx.get(0).get("mx_host").asText()).isEqualTo("mx2.example.com");
    assertThat(sum(mx, "failed_sessions")).isEqualTo(com.get(0).get("failed_sessions").asLong());

    JsonNode failures =
        api("/api/failures?" + MONTH + "&domain=example.com&limit=1000").get("rows");
    assertThat(failures.findValuesAsText("policy_domain")).containsOnly("example.com");
    assertThat(sum(failures, "failed_sessions"))
        .isEqualTo(com.get(0).get("failed_sessions").asLong());
    assertThat(failures.get(0).get("result_type").asText()).isEqualTo("certificate-expired");
    assertThat(failures.get(0).get("receiving_mx_hostname").asText()).isEqualTo("mx2.example.com");
    assertThat(failures.get(0).get("receiving_ip").asText()).isEqualTo("192.0.2.11");
    assertThat(failures.get(0).get("sending_mta_ip").asText()).isNotEmpty();
    assertThat(api("/api/failures?" + MONTH + "&limit=3").get("rows")).hasSize(3);

    JsonNode results = api("/api/results?" + MONTH).get("rows");
    assertThat(results.get(0).get("result_type").asText()).isEqualTo("certificate-expired");
    assertThat(results.get(0).get("reports").asLong()).isEqualTo(16); // 4 days x 4 organizations
    assertThat(sum(results, "failed_sessions")).isEqualTo(demo.month().failed());
  }

  @Test
  void listsRejectedAndQuarantinedInputsAndAnEmptyAlertHistory() throws Exception {
    JsonNode rejected = api("/api/rejected?" + MONTH);
    List<String> codes = new ArrayList<>();
    rejected
        .get("counts")
        .forEach(c -> codes.add(c.get("status").asText() + "/" + c.get("code").asText()));
    assertThat(codes)
        .containsExactlyInAnyOrder(
            "quarantined/quarantined",
            "rejected/decompression_error",
            "rejected/invalid_json",
            "rejected/invalid_value",
            "rejected/missing_field",
            "rejected/not_a_report");
    JsonNode rows = rejected.get("rows");
    assertThat(rows).hasSize(6);
    for (JsonNode r : rows) {
      assertThat(r.get("source").asText()).isEqualTo("demo");
      assertThat(r.get("message").asText()).isNotBlank();
      assertThat(r.get("sha256").asText()).hasSize(64);
    }
    assertThat(rows.findValuesAsText("message"))
        .anySatisfy(m -> assertThat(m).contains("total-failure-session-count"))
        .anySatisfy(m -> assertThat(m).contains("DKIM"));
    assertThat(rows.get(0).get("received_at").asText())
        .isGreaterThanOrEqualTo(rows.get(5).get("received_at").asText());

    JsonNode alerts = api("/api/alerts?" + MONTH);
    assertThat(alerts.get("rows")).isEmpty();
  }

  @Test
  void postureIsEmptyWithoutScheduledChecksAndTakesTheDomainFilterAsALiteral() throws Exception {
    // check.domains is not set: no posture check has run (the figures: storage's
    // DashboardQueriesTest)
    JsonNode all = api("/api/posture");
    assertThat(all.get("domain").isNull()).isTrue();
    assertThat(all.get("rows").isArray()).isTrue();
    assertThat(all.get("rows")).isEmpty();
    JsonNode one = api("/api/posture?domain=Example.COM");
    assertThat(one.get("domain").asText()).isEqualTo("example.com");
    assertThat(one.get("rows")).isEmpty();
    for (String hostile : List.of("x' OR 1=1 --", "x\\' OR 1=1 --", "'", "\\")) {
      assertThat(api("/api/posture?domain=" + enc(hostile)).get("rows")).as(hostile).isEmpty();
    }
    assertThat(raw("/api/posture?domain=" + "a".repeat(300)).statusCode()).isEqualTo(400);
    assertThat(raw("/api/posture?since=0d").statusCode()).isEqualTo(400);
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/posture"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(new String(raw("/").body(), StandardCharsets.UTF_8))
        .contains("id=\"posture\"")
        .contains("id=\"table-posture\"")
        .contains("No posture checks yet: set check.domains");
  }

  @Test
  void refusesBadParametersAndTakesHostileFiltersAsLiterals() throws Exception {
    for (String bad :
        List.of(
            "/api/daily?since=abc",
            "/api/daily?since=0d",
            "/api/daily?since=99999d",
            "/api/failures?limit=0",
            "/api/failures?limit=5000",
            "/api/alerts?limit=x",
            "/api/domains?domain=" + "a".repeat(300))) {
      HttpResponse<byte[]> r = raw(bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("error").asText()).as(bad).isNotBlank();
    }
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/daily"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);

    for (String hostile :
        List.of("Mail.ru' OR 1=1 --", "x\\' OR 1=1 --", "'", "\\", "') OR ('1'='1")) {
      for (String endpoint :
          List.of("organizations", "domains", "failures", "results", "alerts", "daily")) {
        JsonNode byOrg = api("/api/" + endpoint + "?" + MONTH + "&org=" + enc(hostile));
        assertThat(byOrg.has("rows") ? byOrg.get("rows") : byOrg.get("days"))
            .as(endpoint + " org=" + hostile)
            .isEmpty();
        JsonNode byDomain = api("/api/" + endpoint + "?" + MONTH + "&domain=" + enc(hostile));
        assertThat(byDomain.has("rows") ? byDomain.get("rows") : byDomain.get("days"))
            .as(endpoint + " domain=" + hostile)
            .isEmpty();
      }
      assertThat(api("/api/overview?" + MONTH + "&org=" + enc(hostile)).get("reports").asLong())
          .isZero();
    }
    assertThat(api("/api/overview?" + MONTH).get("reports").asLong()).isEqualTo(330);
  }

  @Test
  void readinessGivesEachMtaStsDomainOfTheDemoMonthItsVerdictAndReasons() throws Exception {
    JsonNode all = api("/api/readiness?" + MONTH);
    assertThat(all.get("settings").get("max_failure_percent").asDouble()).isEqualTo(0.1);
    JsonNode rows = all.get("rows");
    // example.org is DANE only: no MTA-STS policy to move to enforce
    assertThat(rows.findValuesAsText("domain"))
        .containsExactly("example.com", "example.net", "shop.example.com");
    assertThat(rows.findValuesAsText("verdict"))
        .containsExactly("enforced_losing_mail", "not_ready", "ready");
    for (JsonNode r : rows) {
      JsonNode d = api("/api/domains?" + MONTH + "&domain=" + r.get("domain").asText()).get("rows");
      long sessions =
          d.get(0).get("successful_sessions").asLong() + d.get(0).get("failed_sessions").asLong();
      assertThat(r.get("sessions").asLong()).as(r.get("domain").asText()).isEqualTo(sessions);
      assertThat(r.get("failed_sessions").asLong())
          .isEqualTo(d.get(0).get("failed_sessions").asLong());
      assertThat(r.get("daily")).hasSize(30);
    }
    JsonNode com = rows.get(0);
    assertThat(com.get("mode").asText()).isEqualTo("enforce");
    assertThat(com.get("summary").asText())
        .startsWith("example.com enforces its policy and loses mail: ")
        .endsWith("above the 0.1% allowed: going back to testing would have been warranted");
    assertThat(com.get("links").get("alerts").asText()).isEqualTo("?domain=example.com#alerts");
    assertThat(com.get("result_types").findValuesAsText("key")).contains("certificate-expired");

    JsonNode net = rows.get(1);
    assertThat(net.get("summary").asText())
        .isEqualTo(
            "example.net is not ready for mode: enforce: "
                + net.get("reasons").size()
                + " blocking reasons");
    List<String> mismatch = new ArrayList<>();
    for (JsonNode reason : net.get("reasons")) {
      String text = reason.get("text").asText();
      if (text.contains(" reports certificate-host-mismatch on backup.example.net: ")) {
        mismatch.add(text.substring(0, text.indexOf(" reports ")));
        assertThat(text)
            .endsWith(
                " would be refused under enforce; it says \"certificate is for mail.example.net\"");
        assertThat(reason.get("remedy").asText())
            .isEqualTo(
                "give backup.example.net a certificate whose subjectAltName names"
                    + " backup.example.net");
      }
    }
    // every reporter of example.net fails 6-10% of its sessions on the backup MX
    assertThat(mismatch)
        .containsExactlyInAnyOrder("Google Inc.", "Microsoft Corporation", "Mail.ru");
    assertThat(net.get("mx_hosts").get(0).get("key").asText()).isEqualTo("backup.example.net");

    JsonNode shop = rows.get(2);
    assertThat(shop.get("reasons")).isEmpty();
    assertThat(shop.get("trend").asText()).isEqualTo("no failures");
    assertThat(shop.get("summary").asText())
        .isEqualTo(
            "shop.example.com can move to mode: enforce: 0 of "
                + String.format(java.util.Locale.ROOT, "%,d", shop.get("sessions").asLong())
                + " sessions failed (0.00%, at most 0.1% allowed) over 30 days from 2 reporters");

    JsonNode one = api("/api/readiness?" + MONTH + "&domain=Shop.Example.COM&org=Mail.ru");
    assertThat(one.get("rows").findValuesAsText("verdict")).containsExactly("ready");
    JsonNode hostile = api("/api/readiness?" + MONTH + "&domain=" + enc("x' OR 1=1 --"));
    assertThat(hostile.get("rows").findValuesAsText("verdict")).containsExactly("not_enough_data");
    assertThat(hostile.get("rows").get(0).get("domain").asText()).isEqualTo("x' or 1=1 --");
    assertThat(raw("/api/readiness?since=0d").statusCode()).isEqualTo(400);
  }

  @Test
  void theReadinessCommandAsksTheRunningServeAndSaysEachVerdict() throws Exception {
    CliRun table =
        CliRun.of(
            "readiness",
            "--data-dir",
            dir.resolve("data").toString(),
            "example.net",
            "shop.example.com");
    assertThat(table.err()).contains("belongs to tlsrpt serve").contains("asked its API");
    assertThat(table.exit()).as(table.err()).isEqualTo(1); // example.net is not ready
    assertThat(table.out())
        .contains("policy domain     mode     verdict")
        .contains("shop.example.com can move to mode: enforce: 0 of ")
        .contains("example.net is not ready for mode: enforce: ")
        .contains(
            "    what to do: give backup.example.net a certificate whose subjectAltName names"
                + " backup.example.net");
    assertThat(table.out().lines().filter(l -> l.startsWith("shop.example.com  testing  ready")))
        .hasSize(1);
    CliRun json =
        CliRun.of(
            "readiness",
            "--data-dir",
            dir.resolve("data").toString(),
            "--format",
            "json",
            "shop.example.com");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode rows = JSON.readTree(json.out()).get("rows");
    assertThat(rows.findValuesAsText("verdict")).containsExactly("ready");
    assertThat(CliRun.of("readiness", "--since", "x").exit()).isEqualTo(2);
  }

  @Test
  void servesThePageItsFilesAndEChartsWithTypesAndCaching() throws Exception {
    for (String page : List.of("/", "/dashboard", "/dashboard/")) {
      HttpResponse<byte[]> r = raw(page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("script-src 'self'");
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .contains("/webjars/echarts/5.3.1/dist/echarts.min.js")
          .contains("/dashboard/dashboard.js");
    }
    HttpResponse<byte[]> js = raw("/dashboard/dashboard.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(js.headers().firstValue("Cache-Control")).hasValue("no-cache");
    HttpResponse<byte[]> css = raw("/dashboard/dashboard.css");
    assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");

    String echarts = "/webjars/echarts/5.3.1/dist/echarts.min.js";
    HttpResponse<byte[]> plain = raw(echarts);
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(plain.headers().firstValue("Cache-Control"))
        .hasValue("public, max-age=31536000, immutable");
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(new String(plain.body(), 0, 2000, StandardCharsets.UTF_8)).contains("echarts");
    HttpResponse<byte[]> gz = raw(echarts, "Accept-Encoding", "gzip");
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gz.body().length).isLessThan(plain.body().length / 2);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(plain.body());
    }
    String etag = plain.headers().firstValue("ETag").orElseThrow();
    assertThat(raw(echarts, "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(raw("/webjars/echarts/5.3.1/LICENSE").headers().firstValue("Content-Type"))
        .hasValue("text/plain; charset=utf-8");

    for (String missing :
        List.of(
            "/nothing",
            "/dashboard/nothing.js",
            "/dashboard/../samples/index.txt",
            "/webjars/echarts/5.3.1/dist/none.js",
            "/webjars/echarts/5.3.1/%2e%2e/%2e%2e/%2e%2e/logback.xml",
            "/webjars/.hidden")) {
      assertThat(raw(missing).statusCode()).as(missing).isEqualTo(404);
    }
  }
}

package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.tlsrpt.dashboards.Expect.cols;
import static org.tlsrpt.dashboards.Expect.point;
import static org.tlsrpt.dashboards.Expect.row;
import static org.tlsrpt.dashboards.Expect.rows;
import static org.tlsrpt.dashboards.Expect.single;
import static org.tlsrpt.dashboards.Expect.sum;
import static org.tlsrpt.dashboards.TlsrptFixture.BULK;
import static org.tlsrpt.dashboards.TlsrptFixture.DAILY;
import static org.tlsrpt.dashboards.TlsrptFixture.DANE;
import static org.tlsrpt.dashboards.TlsrptFixture.LATE;
import static org.tlsrpt.dashboards.TlsrptFixture.NEWS;
import static org.tlsrpt.dashboards.TlsrptFixture.RELIABLE;
import static org.tlsrpt.dashboards.TlsrptFixture.SHOP;
import static org.tlsrpt.dashboards.TlsrptFixture.SMITHS;
import static org.tlsrpt.dashboards.TlsrptFixture.TINY;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every panel of every dashboard, run as Grafana would send it (variables set to All, macros over
 * Nov 26 00:00 to Dec 10 12:00 UTC) against the real schema holding the crafted reports of {@link
 * TlsrptFixture}, shows the figures those reports imply. The fixture holds rows written twice and
 * days built twice, so a query that skips FINAL or the newest build counts them twice and fails.
 */
class DashboardQueriesTest {
  @TempDir static Path dir;
  private static TlsrptFixture store;

  @BeforeAll
  static void open() {
    store = TlsrptFixture.open(dir);
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
  }

  private static final String DEC9 = "2026-12-09 00:00:00";
  private static final String DEC8 = "2026-12-08 00:00:00";
  private static final String FAILED = "Failed sessions";

  /** What each panel shows over the fixture, by "dashboard uid / panel title". */
  private static final Map<String, Consumer<QueryRows>> EXPECTED = new LinkedHashMap<>();

  private static void expect(String uid, String title, Consumer<QueryRows> check) {
    if (EXPECTED.put(uid + " / " + title, check) != null) {
      throw new IllegalStateException("two expectations for " + uid + " / " + title);
    }
  }

  static {
    overview();
    organizations();
    domains();
    failureDetails();
    enforce();
    reporters();
    policies();
  }

  @Test
  void everyPanelOfEveryDashboardHasItsFiguresCheckedHere() {
    List<String> panels = new ArrayList<>();
    DashboardFiles.all().forEach(d -> d.queryPanels().forEach(p -> panels.add(p.key())));
    assertThat(panels)
        .as("panels of the dashboards against the panels checked in this test")
        .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
  }

  @TestFactory
  Stream<DynamicTest> everyPanelShowsTheFiguresOfTheFixture() {
    return DashboardFiles.all().stream()
        .flatMap(d -> d.queryPanels().stream())
        .filter(p -> EXPECTED.containsKey(p.key()))
        .map(
            p ->
                DynamicTest.dynamicTest(
                    p.key(), () -> EXPECTED.get(p.key()).accept(run(p, allOf(p.dashboard())))));
  }

  @TestFactory
  Stream<DynamicTest> everyTimeSeriesPanelReturnsTimeLabelsAndNumbersSortedByTime() {
    return DashboardFiles.all().stream()
        .flatMap(d -> d.queryPanels().stream())
        .filter(DashboardFiles.Panel::timeSeries)
        .map(p -> DynamicTest.dynamicTest(p.key(), () -> timeSeriesShape(p)));
  }

  @Test
  void everyVariableListsTheValuesOfTheTimeRange() {
    for (DashboardFiles.Dashboard d : DashboardFiles.all()) {
      Map<String, List<String>> values = new LinkedHashMap<>();
      for (var v : d.variables()) {
        String sql = GrafanaSql.expand(v.path("query").asText(), TlsrptFixture.RANGE, allOf(d));
        QueryRows r = store.query(sql);
        assertThat(r.names()).as("%s: a variable query returns one column", sql).hasSize(1);
        values.put(v.path("name").asText(), r.column(r.names().get(0)));
      }
      assertThat(values)
          .as("variables of %s", d.uid())
          .containsExactly(
              Map.entry("policy_domain", List.of(BULK, DANE, NEWS, SHOP, TINY)),
              Map.entry("organization", List.of(DAILY, LATE, RELIABLE, SMITHS)),
              Map.entry("mode", List.of("enforce", "n/a", "none", "testing")));
    }
  }

  static QueryRows run(DashboardFiles.Panel p, Map<String, GrafanaSql.Selection> variables) {
    return store.query(GrafanaSql.expand(p.sql(), TlsrptFixture.RANGE, variables));
  }

  static Map<String, GrafanaSql.Selection> allOf(DashboardFiles.Dashboard d) {
    Map<String, GrafanaSql.Selection> all = new LinkedHashMap<>();
    d.variableNames().forEach(n -> all.put(n, GrafanaSql.Selection.all()));
    return all;
  }

  /**
   * The plugin turns a time-series result into series when it is long: a time column first, then
   * string columns (the labels) and numbers, sorted by time.
   */
  private static void timeSeriesShape(DashboardFiles.Panel p) {
    QueryRows r = run(p, allOf(p.dashboard()));
    assertThat(r.size()).as("%s returns rows over the fixture", p).isPositive();
    assertThat(r.names().get(0)).as("first column of %s", p).isEqualTo("time");
    assertThat(QueryRows.time(r.types().get(0))).as("type of time in %s", r).isTrue();
    int numbers = 0;
    for (int i = 1; i < r.names().size(); i++) {
      String type = r.types().get(i);
      boolean label = type.matches("(LowCardinality\\()?String\\)?");
      assertThat(label || QueryRows.numeric(type))
          .as("column %s of %s is a label or a number", r.names().get(i), r)
          .isTrue();
      numbers += QueryRows.numeric(type) ? 1 : 0;
    }
    assertThat(numbers).as("numeric columns of %s", r).isPositive();
    List<String> times = r.column("time");
    assertThat(times).as("times of %s", r).isSorted();
    // a label column must be named after the displayName the panel uses for its series
    String displayName = p.json().path("fieldConfig").path("defaults").path("displayName").asText();
    for (int i = 1; i < r.names().size(); i++) {
      if (!QueryRows.numeric(r.types().get(i))) {
        assertThat(displayName)
            .as("%s names its series after the label column", p)
            .isEqualTo("${__field.labels." + r.names().get(i) + "}");
      }
    }
  }

  // ------------------------------------------------------------------------------------------

  private static void overview() {
    String uid = "tlsrpt-overview";
    expect(
        uid,
        "Successful sessions",
        r -> assertThat(single(r, "Successful sessions")).isEqualByComparingTo("22920"));
    expect(uid, "Failed sessions", r -> assertThat(single(r, FAILED)).isEqualByComparingTo("362"));
    expect(
        uid,
        "Failure rate",
        r ->
            assertThat(single(r, "Failure rate").doubleValue())
                .isCloseTo(362.0 / 23282, within(1e-12)));
    expect(uid, "Reports", r -> assertThat(single(r, "Reports")).isEqualByComparingTo("52"));
    expect(
        uid,
        "Sessions per day",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(14);
          assertThat(point(r, "time", "2026-11-26 00:00:00").lng("Successful")).isEqualTo(250);
          assertThat(point(r, "time", "2026-12-01 00:00:00").lng("Successful")).isEqualTo(350);
          assertThat(point(r, "time", DEC8).lng("Failed")).isEqualTo(34);
          assertThat(point(r, "time", DEC9).lng("Successful")).isEqualTo(2360);
          assertThat(point(r, "time", DEC9).lng("Failed")).isEqualTo(166);
          assertThat(sum(r, "Successful")).isEqualTo(22920);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
    expect(
        uid,
        "Failure rate per day",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(14);
          assertThat(point(r, "time", DEC9).dbl("Failure rate"))
              .isCloseTo(166.0 / 2526, within(1e-12));
          assertThat(point(r, "time", DEC8).dbl("Failure rate"))
              .isCloseTo(34.0 / 2514, within(1e-12));
          assertThat(point(r, "time", "2026-11-26 00:00:00").dbl("Failure rate")).isZero();
        });
    expect(
        uid,
        "Failed sessions by policy type and mode",
        r -> {
          assertThat(new TreeSet<>(r.column("policy")))
              .containsExactly("sts / enforce", "sts / none", "sts / testing", "tlsa / n/a");
          assertThat(point(r, "time", DEC9, "policy", "sts / enforce").lng("Failed"))
              .isEqualTo(100);
          assertThat(point(r, "time", DEC8, "policy", "sts / enforce").lng("Failed")).isEqualTo(9);
          assertThat(point(r, "time", DEC9, "policy", "sts / testing").lng("Failed")).isEqualTo(56);
          assertThat(point(r, "time", DEC9, "policy", "sts / none").lng("Failed")).isEqualTo(10);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
    expect(
        uid,
        "Failure rate by policy type and mode",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(36);
          assertThat(point(r, "time", DEC9, "policy", "sts / enforce").dbl("Failure rate"))
              .isCloseTo(0.1, within(1e-12));
          assertThat(point(r, "time", DEC9, "policy", "sts / none").dbl("Failure rate"))
              .isCloseTo(0.5, within(1e-12));
          assertThat(
                  point(r, "time", "2026-12-02 00:00:00", "policy", "sts / testing")
                      .dbl("Failure rate"))
              .isCloseTo(25.0 / 1505, within(1e-12));
          // Daily Sender, the only DANE reporter, sent nothing for Dec 9: no point, not a zero
          assertThat(r.all())
              .noneMatch(x -> DEC9.equals(x.text("time")) && "tlsa / n/a".equals(x.text("policy")));
        });
    expect(
        uid,
        "By policy type and mode",
        r ->
            rows(
                r,
                cols(
                    "Policy type",
                    "Mode",
                    "Policy domains",
                    "Successful sessions",
                    FAILED,
                    "Failure rate"),
                row("sts", "testing", 2, 12010, 231, 231.0 / 12241),
                row("sts", "enforce", 1, 10300, 121, 121.0 / 10421),
                row("sts", "none", 1, 10, 10, 0.5),
                row("tlsa", "n/a", 1, 600, 0, 0.0)));
    expect(
        uid,
        "Failed sessions by result type",
        r ->
            rows(
                r,
                cols("Result type", FAILED, "Reports"),
                row("certificate-host-mismatch", 190, 8),
                row("certificate-expired", 74, 8),
                row("starttls-not-supported", 50, 2),
                row("validation-failure", 41, 8),
                row("sts-policy-fetch-error", 7, 1)));
    expect(
        uid,
        "Policy domains with the most failed sessions",
        r ->
            rows(
                r,
                cols("Policy domain", "Modes", "Successful sessions", FAILED, "Failure rate"),
                row(BULK, "testing", 7810, 190, 0.02375),
                row(SHOP, "enforce", 10300, 121, 121.0 / 10421),
                row(NEWS, "testing", 4200, 41, 41.0 / 4241),
                row(TINY, "none", 10, 10, 0.5),
                row(DANE, "n/a", 600, 0, 0.0)));
  }

  private static void organizations() {
    String uid = "tlsrpt-organizations";
    expect(
        uid,
        "Sending organizations",
        r ->
            rows(
                r,
                cols(
                    "Organization",
                    "Modes",
                    "Policy domains",
                    "Reports",
                    "Successful sessions",
                    FAILED,
                    "Failure rate"),
                row(RELIABLE, "enforce, none, testing", 4, 25, 19720, 355, 355.0 / 20075),
                row(LATE, "enforce", 1, 1, 0, 7, 1.0),
                row(DAILY, "enforce, n/a", 2, 24, 3000, 0, 0.0),
                row(SMITHS, "testing", 1, 2, 200, 0, 0.0)));
    expect(
        uid,
        "Failed sessions per organization",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(23);
          assertThat(point(r, "time", DEC9, "organization", RELIABLE).lng("Failed")).isEqualTo(166);
          assertThat(point(r, "time", DEC8, "organization", LATE).lng("Failed")).isEqualTo(7);
          assertThat(
                  point(r, "time", "2026-12-02 00:00:00", "organization", RELIABLE).lng("Failed"))
              .isEqualTo(27);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
    expect(
        uid,
        "Failure rate per organization",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(23);
          assertThat(point(r, "time", DEC9, "organization", RELIABLE).dbl("Failure rate"))
              .isCloseTo(166.0 / 2526, within(1e-12));
          assertThat(point(r, "time", DEC8, "organization", LATE).dbl("Failure rate"))
              .isCloseTo(1.0, within(1e-12));
          assertThat(point(r, "time", DEC8, "organization", RELIABLE).dbl("Failure rate"))
              .isCloseTo(27.0 / 2507, within(1e-12));
        });
    expect(
        uid,
        "Sessions per organization",
        r -> {
          assertThat(point(r, "time", "2026-11-26 00:00:00", "organization", DAILY).lng("Sessions"))
              .isEqualTo(250);
          assertThat(
                  point(r, "time", "2026-12-01 00:00:00", "organization", SMITHS).lng("Sessions"))
              .isEqualTo(100);
          assertThat(point(r, "time", DEC9, "organization", RELIABLE).lng("Sessions"))
              .isEqualTo(2526);
          assertThat(sum(r, "Sessions")).isEqualTo(22920 + 362);
        });
    expect(
        uid,
        "Failure types per organization",
        r ->
            rows(
                r,
                cols("Organization", "Result type", FAILED, "Reports"),
                row(RELIABLE, "certificate-host-mismatch", 190, 8),
                row(RELIABLE, "certificate-expired", 74, 8),
                row(RELIABLE, "starttls-not-supported", 50, 2),
                row(RELIABLE, "validation-failure", 41, 8),
                row(LATE, "sts-policy-fetch-error", 7, 1)));
  }

  private static void domains() {
    String uid = "tlsrpt-domains";
    expect(
        uid,
        "Policy domains",
        r ->
            rows(
                r,
                cols(
                    "Policy domain",
                    "Policy types",
                    "Modes",
                    "Organizations",
                    "Successful sessions",
                    FAILED),
                row(BULK, "sts", "testing", 1, 7810, 190),
                row(SHOP, "sts", "enforce", 3, 10300, 121),
                row(NEWS, "sts", "testing", 2, 4200, 41),
                row(TINY, "sts", "none", 1, 10, 10),
                row(DANE, "tlsa", "n/a", 1, 600, 0)));
    expect(
        uid,
        "Failing MX hosts by sender",
        r ->
            rows(
                r,
                cols(
                    "Policy domain",
                    "MX host",
                    "Organization",
                    "Mode",
                    "Result types",
                    FAILED,
                    "Reports"),
                row(
                    BULK,
                    "mx1.bulk.example",
                    RELIABLE,
                    "testing",
                    "certificate-host-mismatch",
                    190,
                    8),
                row(SHOP, "mx1.shop.example", RELIABLE, "enforce", "certificate-expired", 74, 8),
                row(NEWS, "mx1.news.example", RELIABLE, "testing", "validation-failure", 41, 8),
                row(SHOP, "mx2.shop.example", RELIABLE, "enforce", "starttls-not-supported", 40, 1),
                row(TINY, "mx1.tiny.example", RELIABLE, "none", "starttls-not-supported", 10, 1),
                row(SHOP, "(not given)", LATE, "enforce", "sts-policy-fetch-error", 7, 1)));
    expect(
        uid,
        "Failed sessions per MX host",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(27);
          assertThat(point(r, "time", DEC9, "mx", "shop.example mx2.shop.example").lng("Failed"))
              .isEqualTo(40);
          assertThat(point(r, "time", DEC9, "mx", "shop.example mx1.shop.example").lng("Failed"))
              .isEqualTo(60);
          assertThat(point(r, "time", DEC8, "mx", "shop.example (not given)").lng("Failed"))
              .isEqualTo(7);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
    expect(
        uid,
        "MX hosts by result type",
        r ->
            rows(
                r,
                cols("MX host", "Result type", FAILED, "Organizations"),
                row("mx1.bulk.example", "certificate-host-mismatch", 190, 1),
                row("mx1.shop.example", "certificate-expired", 74, 1),
                row("mx1.news.example", "validation-failure", 41, 1),
                row("mx2.shop.example", "starttls-not-supported", 40, 1),
                row("mx1.tiny.example", "starttls-not-supported", 10, 1),
                row("(not given)", "sts-policy-fetch-error", 7, 1)));
  }

  private static void failureDetails() {
    String uid = "tlsrpt-failures";
    String x509 = "X509_V_ERR_CERT_HAS_EXPIRED";
    expect(
        uid,
        "Failure details",
        r ->
            rows(
                r,
                cols(
                    "Organization",
                    "Policy domain",
                    "Mode",
                    "Result type",
                    "Sending MTA IP",
                    "Receiving MX",
                    "Receiving IP",
                    "Reason code",
                    FAILED,
                    "Reports",
                    "First report start",
                    "Last report end"),
                row(
                    RELIABLE,
                    BULK,
                    "testing",
                    "certificate-host-mismatch",
                    "192.0.2.12",
                    "mx1.bulk.example",
                    "198.51.100.30",
                    "",
                    190,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    SHOP,
                    "enforce",
                    "certificate-expired",
                    "192.0.2.10",
                    "mx1.shop.example",
                    "198.51.100.1",
                    x509,
                    74,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    NEWS,
                    "testing",
                    "validation-failure",
                    "192.0.2.10",
                    "mx1.news.example",
                    "198.51.100.20",
                    "",
                    41,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    SHOP,
                    "enforce",
                    "starttls-not-supported",
                    "192.0.2.11",
                    "mx2.shop.example",
                    "198.51.100.2",
                    "",
                    40,
                    1,
                    "2026-12-09 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    TINY,
                    "none",
                    "starttls-not-supported",
                    "192.0.2.10",
                    "mx1.tiny.example",
                    "198.51.100.40",
                    "",
                    10,
                    1,
                    "2026-12-09 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    LATE,
                    SHOP,
                    "enforce",
                    "sts-policy-fetch-error",
                    "",
                    "",
                    "",
                    "",
                    7,
                    1,
                    "2026-12-08 00:00:00.000",
                    "2026-12-08 23:59:59.000")));
    expect(
        uid,
        "Sending MTA IPs",
        r ->
            rows(
                r,
                cols("Sending MTA IP", FAILED, "Result types", "Receiving MX hosts"),
                row("192.0.2.12", 190, "certificate-host-mismatch", 1),
                row(
                    "192.0.2.10",
                    125,
                    "certificate-expired, starttls-not-supported, validation-failure",
                    3),
                row("192.0.2.11", 40, "starttls-not-supported", 1),
                row("(not given)", 7, "sts-policy-fetch-error", 1)));
    expect(
        uid,
        "Receiving MX hosts and IPs",
        r ->
            rows(
                r,
                cols("Receiving MX", "Receiving IP", FAILED, "Result types", "Sending MTA IPs"),
                row("mx1.bulk.example", "198.51.100.30", 190, "certificate-host-mismatch", 1),
                row("mx1.shop.example", "198.51.100.1", 74, "certificate-expired", 1),
                row("mx1.news.example", "198.51.100.20", 41, "validation-failure", 1),
                row("mx2.shop.example", "198.51.100.2", 40, "starttls-not-supported", 1),
                row("mx1.tiny.example", "198.51.100.40", 10, "starttls-not-supported", 1),
                row("(not given)", "(not given)", 7, "sts-policy-fetch-error", 1)));
    expect(
        uid,
        "Reason codes",
        r ->
            rows(
                r,
                cols("Result type", "Reason code", FAILED, "Reports"),
                row("certificate-host-mismatch", "", 190, 8),
                row("certificate-expired", x509, 74, 8),
                row("starttls-not-supported", "", 50, 2),
                row("validation-failure", "", 41, 8),
                row("sts-policy-fetch-error", "", 7, 1)));
    expect(
        uid,
        "Failed sessions per result type",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(26);
          assertThat(point(r, "time", DEC9, "result_type", "certificate-expired").lng("Failed"))
              .isEqualTo(60);
          assertThat(point(r, "time", DEC9, "result_type", "starttls-not-supported").lng("Failed"))
              .isEqualTo(50);
          assertThat(point(r, "time", DEC8, "result_type", "sts-policy-fetch-error").lng("Failed"))
              .isEqualTo(7);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
  }

  private static void enforce() {
    String uid = "tlsrpt-enforce";
    expect(uid, "Refused sessions", r -> assertThat(single(r, FAILED)).isEqualByComparingTo("121"));
    expect(
        uid,
        "Policy domains refused",
        r -> assertThat(single(r, "Policy domains")).isEqualByComparingTo("1"));
    expect(
        uid,
        "Senders refused",
        r -> assertThat(single(r, "Organizations")).isEqualByComparingTo("2"));
    expect(
        uid,
        "Being refused: failure details, newest reports first",
        r ->
            rows(
                r,
                cols(
                    "Policy domain",
                    "Organization",
                    "Result type",
                    "Receiving MX",
                    "Receiving IP",
                    "Sending MTA IP",
                    "Reason code",
                    FAILED,
                    "Last report end",
                    "Last received"),
                row(
                    SHOP,
                    RELIABLE,
                    "certificate-expired",
                    "mx1.shop.example",
                    "198.51.100.1",
                    "192.0.2.10",
                    "X509_V_ERR_CERT_HAS_EXPIRED",
                    74,
                    "2026-12-09 23:59:59.000",
                    "2026-12-10 06:00:00.000"),
                row(
                    SHOP,
                    RELIABLE,
                    "starttls-not-supported",
                    "mx2.shop.example",
                    "198.51.100.2",
                    "192.0.2.11",
                    "",
                    40,
                    "2026-12-09 23:59:59.000",
                    "2026-12-10 06:00:00.000"),
                row(
                    SHOP,
                    LATE,
                    "sts-policy-fetch-error",
                    "",
                    "",
                    "",
                    "",
                    7,
                    "2026-12-08 23:59:59.000",
                    "2026-12-09 06:00:00.000")));
    expect(
        uid,
        "Refused sessions per policy domain",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(14);
          assertThat(new TreeSet<>(r.column("policy_domain"))).containsExactly(SHOP);
          assertThat(point(r, "time", DEC9).lng("Failed")).isEqualTo(100);
          assertThat(point(r, "time", DEC8).lng("Failed")).isEqualTo(9);
          assertThat(point(r, "time", "2026-12-07 00:00:00").lng("Failed")).isEqualTo(2);
          assertThat(sum(r, "Failed")).isEqualTo(121);
        });
    expect(
        uid,
        "Reports with refused sessions",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(9);
          rows(
              new QueryRows(r.sql(), r.names(), r.types(), r.rows().subList(0, 3)),
              cols(
                  "Report start",
                  "Organization",
                  "Policy domain",
                  "Report ID",
                  "Successful sessions",
                  FAILED,
                  "Received"),
              row(
                  "2026-12-09 00:00:00.000",
                  RELIABLE,
                  SHOP,
                  "2026-12-09T00:00:00Z_shop.example",
                  900,
                  100,
                  "2026-12-10 06:00:00.000"),
              row(
                  "2026-12-08 00:00:00.000",
                  LATE,
                  SHOP,
                  "2026-12-08T00:00:00Z_shop.example",
                  0,
                  7,
                  "2026-12-09 06:00:00.000"),
              row(
                  "2026-12-08 00:00:00.000",
                  RELIABLE,
                  SHOP,
                  "2026-12-08T00:00:00Z_shop.example",
                  1000,
                  2,
                  "2026-12-09 06:00:00.000"));
          assertThat(sum(r, FAILED)).isEqualTo(121);
        });
  }

  private static void reporters() {
    String uid = "tlsrpt-reporters";
    expect(
        uid,
        "Reports per reporter per day",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(23);
          assertThat(point(r, "time", "2026-11-26 00:00:00", "organization", DAILY).lng("Reports"))
              .isEqualTo(2);
          assertThat(point(r, "time", DEC9, "organization", RELIABLE).lng("Reports")).isEqualTo(4);
          assertThat(point(r, "time", DEC8, "organization", LATE).lng("Reports")).isEqualTo(1);
          assertThat(sum(r, "Reports")).isEqualTo(52);
        });
    expect(
        uid,
        "Expected reporters gone silent",
        r ->
            rows(
                r,
                cols("Organization", "Last received", "Days with reports, of 7", "Hours silent"),
                row(DAILY, "2026-12-08 03:00:00.000", 7, 57)));
    expect(
        uid,
        "Reporters",
        r ->
            rows(
                r,
                cols(
                    "Organization",
                    "Reports",
                    "Days",
                    "Last report end",
                    "Last received",
                    "Sources",
                    "DKIM"),
                row(
                    RELIABLE,
                    25,
                    8,
                    "2026-12-09 23:59:59.000",
                    "2026-12-10 06:00:00.000",
                    "smtp",
                    "verified"),
                row(
                    LATE,
                    1,
                    1,
                    "2026-12-08 23:59:59.000",
                    "2026-12-09 06:00:00.000",
                    "smtp",
                    "not-checked"),
                row(
                    DAILY,
                    12,
                    12,
                    "2026-12-07 23:59:59.000",
                    "2026-12-08 03:00:00.000",
                    "imap",
                    "not-checked"),
                row(
                    SMITHS,
                    2,
                    2,
                    "2026-12-05 23:59:59.000",
                    "2026-12-06 09:00:00.000",
                    "https",
                    "not-checked")));
    expect(
        uid,
        "Warnings on quirky reports",
        r -> {
          rows(
              r,
              cols("Organization", "Reports", "Last received"),
              row(SMITHS, 1, "2026-12-06 09:00:00.000"));
          assertThat(r.get(0).text("Warning")).contains("mx-host is a string");
        });
    expect(
        uid,
        "DKIM results",
        r ->
            rows(
                r,
                cols("Organization", "DKIM", "Reports"),
                row(DAILY, "not-checked", 12),
                row(LATE, "not-checked", 1),
                row(RELIABLE, "verified", 25),
                row(SMITHS, "not-checked", 2)));
    expect(
        uid,
        "Rejected and quarantined inputs",
        r -> {
          // hourly buckets: one rejected input from 11:00 on Dec 9 to 10:00 on Dec 10, then the
          // burst
          assertThat(r.size()).as("%s", r).isEqualTo(26);
          assertThat(point(r, "time", "2026-12-09 11:00:00").lng("Inputs")).isEqualTo(1);
          assertThat(point(r, "time", "2026-12-10 10:00:00").lng("Inputs")).isEqualTo(1);
          assertThat(point(r, "time", "2026-12-10 11:00:00", "status", "rejected").lng("Inputs"))
              .isEqualTo(5);
          assertThat(point(r, "time", "2026-12-10 11:00:00", "status", "quarantined").lng("Inputs"))
              .isEqualTo(1);
          assertThat(sum(r, "Inputs")).isEqualTo(30);
        });
    expect(
        uid,
        "Rejections by code",
        r ->
            rows(
                r,
                cols("Status", "Code", "Inputs", "Last received"),
                row("rejected", "invalid_json", 17, "2026-12-10 11:50:00.000"),
                row("rejected", "not_a_report", 12, "2026-12-10 10:30:00.000"),
                row("quarantined", "quarantined", 1, "2026-12-10 11:45:00.000")));
    expect(
        uid,
        "Rejected and quarantined inputs, newest first",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(30);
          rows(
              new QueryRows(r.sql(), r.names(), r.types(), r.rows().subList(0, 2)),
              cols("Received", "Status", "Code", "Source", "Message"),
              row(
                  "2026-12-10 11:50:00.000",
                  "rejected",
                  "invalid_json",
                  "smtp",
                  r.get(0).text("Message")),
              row(
                  "2026-12-10 11:45:00.000",
                  "quarantined",
                  "quarantined",
                  "smtp",
                  "DKIM signature did not verify"));
          assertThat(r.get(0).text("Message")).contains("JSON");
          assertThat(r.get(29).text("Received")).isEqualTo("2026-12-09 11:30:00.000");
          assertThat(r.get(29).text("SHA-256")).matches("[0-9a-f]{64}");
        });
  }

  private static void policies() {
    String uid = "tlsrpt-policies";
    expect(
        uid,
        "Policies seen",
        r -> {
          rows(
              r,
              cols(
                  "Policy domain",
                  "Policy type",
                  "Mode",
                  "Seen by",
                  "Reports",
                  "First report start",
                  "Last report end"),
              row(
                  BULK,
                  "sts",
                  "testing",
                  RELIABLE,
                  8,
                  "2026-12-02 00:00:00.000",
                  "2026-12-09 23:59:59.000"),
              row(
                  DANE,
                  "tlsa",
                  "n/a",
                  DAILY,
                  12,
                  "2026-11-26 00:00:00.000",
                  "2026-12-07 23:59:59.000"),
              row(
                  NEWS,
                  "sts",
                  "testing",
                  RELIABLE + ", " + SMITHS,
                  10,
                  "2026-12-01 00:00:00.000",
                  "2026-12-09 23:59:59.000"),
              row(
                  SHOP,
                  "sts",
                  "enforce",
                  DAILY + ", " + RELIABLE,
                  15,
                  "2026-11-26 00:00:00.000",
                  "2026-12-07 23:59:59.000"),
              row(
                  SHOP,
                  "sts",
                  "enforce",
                  LATE + ", " + RELIABLE,
                  6,
                  "2026-12-05 00:00:00.000",
                  "2026-12-09 23:59:59.000"),
              row(
                  TINY,
                  "sts",
                  "none",
                  RELIABLE,
                  1,
                  "2026-12-09 00:00:00.000",
                  "2026-12-09 23:59:59.000"));
          assertThat(r.get(3).text("Policy")).endsWith("max_age: 86400");
          assertThat(r.get(4).text("Policy"))
              .isEqualTo(
                  "version: STSv1 | mode: enforce | mx: mx1.shop.example | mx: mx2.shop.example"
                      + " | max_age: 604800");
          assertThat(r.column("Fingerprint")).allMatch(f -> f.matches("[0-9a-f]{16}"));
          assertThat(new TreeSet<>(r.column("Fingerprint"))).hasSize(6);
        });
    expect(
        uid,
        "Policies per sender and domain",
        r ->
            rows(
                r,
                cols("Organization", "Policy domain", "Policies", "Modes"),
                row(RELIABLE, SHOP, 2, "enforce"),
                row(DAILY, DANE, 1, "n/a"),
                row(DAILY, SHOP, 1, "enforce"),
                row(LATE, SHOP, 1, "enforce"),
                row(RELIABLE, BULK, 1, "testing"),
                row(RELIABLE, NEWS, 1, "testing"),
                row(RELIABLE, TINY, 1, "none"),
                row(SMITHS, NEWS, 1, "testing")));
    expect(
        uid,
        "Distinct policies per domain per day",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(44);
          List<String> changing = new ArrayList<>();
          for (QueryRows.Row x : r.all()) {
            if (x.lng("Policies") > 1) {
              changing.add(
                  x.text("time") + " " + x.text("policy_domain") + " " + x.lng("Policies"));
            }
          }
          // Reliable Mail saw the new policy of shop.example from Dec 5, Daily Sender never did
          assertThat(changing)
              .containsExactly(
                  "2026-12-05 00:00:00 shop.example 2",
                  "2026-12-06 00:00:00 shop.example 2",
                  "2026-12-07 00:00:00 shop.example 2");
        });
    expect(
        uid,
        "When each sender saw each policy",
        r ->
            rows(
                r,
                cols(
                    "Organization",
                    "Policy domain",
                    "Mode",
                    "max_age",
                    "Reports",
                    "First report start",
                    "Last report end"),
                row(
                    RELIABLE,
                    BULK,
                    "testing",
                    86400,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    DAILY,
                    DANE,
                    "n/a",
                    null,
                    12,
                    "2026-11-26 00:00:00.000",
                    "2026-12-07 23:59:59.000"),
                row(
                    RELIABLE,
                    NEWS,
                    "testing",
                    86400,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    SMITHS,
                    NEWS,
                    "testing",
                    86400,
                    2,
                    "2026-12-01 00:00:00.000",
                    "2026-12-05 23:59:59.000"),
                row(
                    DAILY,
                    SHOP,
                    "enforce",
                    86400,
                    12,
                    "2026-11-26 00:00:00.000",
                    "2026-12-07 23:59:59.000"),
                row(
                    LATE,
                    SHOP,
                    "enforce",
                    604800,
                    1,
                    "2026-12-08 00:00:00.000",
                    "2026-12-08 23:59:59.000"),
                row(
                    RELIABLE,
                    SHOP,
                    "enforce",
                    86400,
                    3,
                    "2026-12-02 00:00:00.000",
                    "2026-12-04 23:59:59.000"),
                row(
                    RELIABLE,
                    SHOP,
                    "enforce",
                    604800,
                    5,
                    "2026-12-05 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    TINY,
                    "none",
                    86400,
                    1,
                    "2026-12-09 00:00:00.000",
                    "2026-12-09 23:59:59.000")));
  }
}

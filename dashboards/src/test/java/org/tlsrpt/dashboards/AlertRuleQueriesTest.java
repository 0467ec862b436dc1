package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.tlsrpt.dashboards.TlsrptFixture.BULK;
import static org.tlsrpt.dashboards.TlsrptFixture.DAILY;
import static org.tlsrpt.dashboards.TlsrptFixture.DANE;
import static org.tlsrpt.dashboards.TlsrptFixture.NEWS;
import static org.tlsrpt.dashboards.TlsrptFixture.NOW;
import static org.tlsrpt.dashboards.TlsrptFixture.RELIABLE;
import static org.tlsrpt.dashboards.TlsrptFixture.SHOP;
import static org.tlsrpt.dashboards.TlsrptFixture.SMITHS;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every alert rule evaluated as Grafana does it, at fixed moments around the crafted data of {@link
 * TlsrptFixture}: each query over its relativeTimeRange back from that moment, its rows turned into
 * alert instances (string columns are labels, the one numeric column the value), then the rule's
 * threshold expression decides which instances fire.
 */
class AlertRuleQueriesTest {
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

  /** One alert instance: its labels, the value of the query, whether the condition holds. */
  record Instance(Map<String, String> labels, double value, boolean firing) {
    @Override
    public String toString() {
      return labels + "=" + value + (firing ? " FIRING" : " normal");
    }
  }

  private static final Map<String, Consumer<AlertRuleFiles.Rule>> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("tlsrpt-enforce-failures", AlertRuleQueriesTest::enforceFailures);
    EXPECTED.put("tlsrpt-failure-rate", AlertRuleQueriesTest::failureRate);
    EXPECTED.put("tlsrpt-reporter-silent", AlertRuleQueriesTest::reporterSilent);
    EXPECTED.put("tlsrpt-rejected-spike", AlertRuleQueriesTest::rejectedSpike);
  }

  @Test
  void everyAlertRuleHasItsOutcomesCheckedHere() {
    assertThat(AlertRuleFiles.rules().stream().map(AlertRuleFiles.Rule::uid))
        .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
  }

  @TestFactory
  Stream<DynamicTest> everyAlertRuleFiresForTheCraftedTroubleAndOnlyForIt() {
    return AlertRuleFiles.rules().stream()
        .filter(r -> EXPECTED.containsKey(r.uid()))
        .map(r -> DynamicTest.dynamicTest(r.uid(), () -> EXPECTED.get(r.uid()).accept(r)));
  }

  private static void enforceFailures(AlertRuleFiles.Rule rule) {
    // Reliable Mail's report of Dec 9 (received Dec 10 06:00) counts 100 refused sessions; Late
    // Enforcer's (received Dec 9 06:00) is older than the rule's 24 hours.
    assertThat(evaluate(rule, NOW))
        .containsExactly(new Instance(labels(SHOP, RELIABLE), 100, true));
    // A day earlier: Reliable Mail's report of Dec 7 (2 failed) fires, Daily Sender's (none) not.
    assertThat(evaluate(rule, Instant.parse("2026-12-08T12:00:00Z")))
        .containsExactly(
            new Instance(labels(SHOP, DAILY), 0, false),
            new Instance(labels(SHOP, RELIABLE), 2, true));
    // A day later nothing arrived: no data, which the rule treats as OK.
    assertThat(evaluate(rule, NOW.plus(Duration.ofDays(1)))).isEmpty();
  }

  private static void failureRate(AlertRuleFiles.Rule rule) {
    // Dec 9 and 10 against Dec 2 to 8. shop.example: 10 % against a baseline below the 0.5 % floor;
    // bulk.example: 5 % against 2 %; news.example: 1.19 % against 0.96 %; tiny.example has 20
    // sessions, under the minimum of 100; dane.example had no session on Dec 9 and 10.
    List<Instance> now = evaluate(rule, NOW);
    assertThat(now)
        .extracting(i -> i.labels().get("policy_domain"))
        .containsExactly(BULK, NEWS, SHOP);
    assertThat(now.get(0).value()).isCloseTo(2.5, within(1e-9));
    assertThat(now.get(1).value()).isCloseTo((6.0 / 506) / (35.0 / 3635), within(1e-9));
    assertThat(now.get(2).value()).isCloseTo(0.1 / 0.005, within(1e-9));
    assertThat(now).extracting(Instance::firing).containsExactly(true, false, true);
    // On Dec 6 (Dec 5 and 6 against Nov 28 to Dec 4) every domain is at its usual rate.
    List<Instance> before = evaluate(rule, Instant.parse("2026-12-06T12:00:00Z"));
    assertThat(before)
        .extracting(i -> i.labels().get("policy_domain"))
        .containsExactly(BULK, DANE, NEWS, SHOP);
    assertThat(before.get(0).value()).isCloseTo(1.0, within(1e-9));
    assertThat(before.get(1).value()).isZero();
    assertThat(before.get(2).value()).isCloseTo((10.0 / 1110) / (15.0 / 1615), within(1e-9));
    assertThat(before.get(3).value()).isCloseTo((4.0 / 2404) / 0.005, within(1e-9));
    assertThat(before).noneMatch(Instance::firing);
  }

  private static void reporterSilent(AlertRuleFiles.Rule rule) {
    // Daily Sender reported on each of the 7 days before Dec 8 12:00 and not since; Smith's Mail
    // reported on 2 of them, so it is no daily reporter.
    assertThat(evaluate(rule, NOW))
        .containsExactly(
            new Instance(Map.of("organization", DAILY), 7, true),
            new Instance(Map.of("organization", SMITHS), 2, false));
    // On Dec 6 every reporter had sent something in the last 2 days.
    assertThat(evaluate(rule, Instant.parse("2026-12-06T12:00:00Z"))).isEmpty();
  }

  private static void rejectedSpike(AlertRuleFiles.Rule rule) {
    // 6 rejected or quarantined in the last hour against 1 an hour before.
    assertThat(evaluate(rule, NOW)).containsExactly(new Instance(Map.of(), 6, true));
    // An hour earlier: 1 in the last hour, under the minimum of 5.
    assertThat(evaluate(rule, NOW.minus(Duration.ofHours(1))))
        .containsExactly(new Instance(Map.of(), 0, false));
    // At 11:40 four of the burst are in: under the minimum of 5...
    assertThat(evaluate(rule, Instant.parse("2026-12-10T11:40:00Z")))
        .containsExactly(new Instance(Map.of(), 0, false));
    // ...at 11:45 the quarantined report makes 5, against 1 an hour before.
    assertThat(evaluate(rule, Instant.parse("2026-12-10T11:45:00Z")))
        .containsExactly(new Instance(Map.of(), 5, true));
  }

  private static Map<String, String> labels(String domain, String organization) {
    Map<String, String> l = new TreeMap<>();
    l.put("policy_domain", domain);
    l.put("organization", organization);
    return l;
  }

  /** The rule at {@code now}: its instances in the order of the query's rows. */
  static List<Instance> evaluate(AlertRuleFiles.Rule rule, Instant now) {
    JsonNode condition = rule.data(rule.json().path("condition").asText());
    JsonNode model = condition.path("model");
    assertThat(model.path("type").asText())
        .as("%s: the condition is a threshold expression", rule)
        .isEqualTo("threshold");
    JsonNode query = rule.data(model.path("expression").asText());
    QueryRows rows = run(query, now);
    List<Instance> out = new ArrayList<>();
    for (QueryRows.Row r : rows.all()) {
      Map<String, String> labels = new TreeMap<>();
      double value = Double.NaN;
      for (int i = 0; i < rows.names().size(); i++) {
        String name = rows.names().get(i);
        if (QueryRows.numeric(rows.types().get(i))) {
          value = r.dbl(name);
        } else {
          labels.put(name, r.text(name));
        }
      }
      out.add(new Instance(labels, value, holds(model, value)));
    }
    return out;
  }

  /**
   * Runs one query of a rule as the plugin's backend would at {@code now}, and checks that Grafana
   * can read its rows as alert instances: one numeric column, the others strings.
   */
  static QueryRows run(JsonNode query, Instant now) {
    JsonNode range = query.path("relativeTimeRange");
    String sql =
        GrafanaSql.expandRule(
            query.path("model").path("rawSql").asText(),
            GrafanaSql.TimeRange.relative(
                now, range.path("from").asLong(), range.path("to").asLong()));
    QueryRows rows = store.query(sql);
    List<String> numeric =
        rows.names().stream()
            .filter(n -> QueryRows.numeric(rows.type(n)))
            .collect(Collectors.toList());
    assertThat(numeric).as("numeric columns of %s", rows).hasSize(1);
    for (String n : rows.names()) {
      if (!numeric.contains(n)) {
        assertThat(rows.type(n)).as("label column %s of %s", n, rows).matches(".*String.*");
      }
    }
    return rows;
  }

  /** Grafana's threshold expression, with the evaluators it offers. */
  private static boolean holds(JsonNode threshold, double value) {
    JsonNode evaluator = threshold.path("conditions").get(0).path("evaluator");
    JsonNode params = evaluator.path("params");
    return switch (evaluator.path("type").asText()) {
      case "gt" -> value > params.get(0).asDouble();
      case "lt" -> value < params.get(0).asDouble();
      case "within_range" -> value > params.get(0).asDouble() && value < params.get(1).asDouble();
      case "outside_range" -> value < params.get(0).asDouble() || value > params.get(1).asDouble();
      default -> throw new AssertionError("unknown threshold evaluator " + evaluator);
    };
  }
}

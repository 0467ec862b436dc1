package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
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

  /** What each panel shows over the fixture, by "dashboard uid / panel title". */
  private static final Map<String, Consumer<QueryRows>> EXPECTED = PanelFigures.all();

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
      if (d.uid().equals(DashboardFilesTest.POSTURE_UID)) {
        // the domains with a posture check run in the range (tiny.example's is older)
        assertThat(values)
            .as("variables of %s", d.uid())
            .containsExactly(Map.entry("policy_domain", List.of(BULK, NEWS, SHOP)));
        continue;
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
}

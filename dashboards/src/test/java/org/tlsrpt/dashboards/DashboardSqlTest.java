package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expansion the tests apply before running a query is the one Grafana and the plugin do. */
class DashboardSqlTest {
  private static final GrafanaSql.TimeRange RANGE =
      new GrafanaSql.TimeRange(
          Instant.parse("2026-12-01T00:00:00Z"),
          Instant.parse("2026-12-10T12:00:00Z"),
          Duration.ofMinutes(5));

  private static final String FILTER =
      "WHERE $__conditionalAll(organization IN (${organization:singlequote}), $organization) AND"
          + " $__conditionalAll(if(mode = '', 'n/a', mode) IN (${mode:singlequote}), $mode)";

  @Test
  void conditionalAllDropsTheConditionForAllAndKeepsItForValues() {
    String sql =
        GrafanaSql.expand(
            FILTER,
            RANGE,
            Map.of(
                "organization",
                GrafanaSql.Selection.all(),
                "mode",
                GrafanaSql.Selection.of("enforce", "n/a")));
    assertThat(sql).isEqualTo("WHERE 1=1 AND if(mode = '', 'n/a', mode) IN ('enforce','n/a')");
  }

  @Test
  void singleQuoteFormatEscapesQuotesInValues() {
    String sql =
        GrafanaSql.expand(
            FILTER,
            RANGE,
            Map.of(
                "organization",
                GrafanaSql.Selection.of("Smith's Mail"),
                "mode",
                GrafanaSql.Selection.all()));
    assertThat(sql).isEqualTo("WHERE organization IN ('Smith\\'s Mail') AND 1=1");
  }

  @Test
  void refusesWhatGrafanaWouldNotSendAsMeant() {
    Map<String, GrafanaSql.Selection> all = Map.of("organization", GrafanaSql.Selection.all());
    Map<String, GrafanaSql.Selection> one = Map.of("organization", GrafanaSql.Selection.of("x"));
    assertThatThrownBy(() -> GrafanaSql.expand("WHERE organization IN ($organization)", RANGE, all))
        .hasMessageContaining("outside $__conditionalAll");
    assertThatThrownBy(
            () ->
                GrafanaSql.expand(
                    "WHERE $__conditionalAll(organization IN ($organization), $organization)",
                    RANGE,
                    one))
        .hasMessageContaining("singlequote");
    assertThatThrownBy(
            () ->
                GrafanaSql.expand(
                    "WHERE $__conditionalAll(x IN (${domain:singlequote}), $domain)", RANGE, one))
        .hasMessageContaining("$domain is not a variable");
    assertThatThrownBy(() -> GrafanaSql.expandRule("WHERE $__timeFilterr(t)", RANGE))
        .hasMessageContaining("no macro");
    assertThatThrownBy(() -> GrafanaSql.expandRule("WHERE $__timeFilter(a, b)", RANGE))
        .hasMessageContaining("takes one column");
  }

  @Test
  void timeMacrosBecomeThePluginsSql() {
    assertThat(GrafanaSql.expandRule("$__timeFilter(received_at)", RANGE))
        .isEqualTo(
            "received_at >= toDateTime(1796083200) AND received_at <= toDateTime(1796904000)");
    assertThat(GrafanaSql.expandRule("$__dateFilter(day)", RANGE))
        .isEqualTo("day >= toDate('2026-12-01') AND day <= toDate('2026-12-10')");
    assertThat(GrafanaSql.expandRule("$__fromTime - $__toTime", RANGE))
        .isEqualTo("toDateTime(1796083200) - toDateTime(1796904000)");
    assertThat(GrafanaSql.expandRule("$__timeFilter_ms(t) $__fromTime_ms", RANGE))
        .isEqualTo(
            "t >= fromUnixTimestamp64Milli(1796083200000) AND t <= fromUnixTimestamp64Milli(1796904000000)"
                + " fromUnixTimestamp64Milli(1796083200000)");
    assertThat(GrafanaSql.expandRule("$__timeInterval(received_at) $__interval_s", RANGE))
        .isEqualTo("toStartOfInterval(toDateTime(received_at), INTERVAL 300 second) 300");
  }

  @Test
  void aRulesRelativeTimeRangeEndsAtTheEvaluation() {
    GrafanaSql.TimeRange r =
        GrafanaSql.TimeRange.relative(Instant.parse("2026-12-10T12:00:00Z"), 86400, 0);
    assertThat(r.from()).isEqualTo(Instant.parse("2026-12-09T12:00:00Z"));
    assertThat(r.to()).isEqualTo(Instant.parse("2026-12-10T12:00:00Z"));
  }

  @Test
  void variableNamesAreTheTemplateVariablesNotTheMacros() {
    assertThat(GrafanaSql.variableNames(FILTER + " AND $__timeFilter(t) AND x = $other"))
        .containsExactly("organization", "organization", "mode", "mode", "other");
  }
}

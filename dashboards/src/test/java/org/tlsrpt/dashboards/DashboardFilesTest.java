package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard JSON files as Grafana's file provider loads them: they parse, their uids and panel
 * ids are unique, every query names the provisioned data source and the variables it uses, the
 * daily summary is read as tlsrpt reads it, and links lead to dashboards that exist.
 */
class DashboardFilesTest {
  static final String DATASOURCE_UID = "tlsrpt-clickhouse";
  static final String DATASOURCE_TYPE = "grafana-clickhouse-datasource";
  private static final List<String> VARIABLES = List.of("policy_domain", "organization", "mode");

  /** The posture checks are about a receiving domain: only the policy domain applies. */
  static final String POSTURE_UID = "tlsrpt-posture";

  /** The variables of a dashboard. */
  static List<String> variablesOf(DashboardFiles.Dashboard d) {
    return d.uid().equals(POSTURE_UID) ? List.of("policy_domain") : VARIABLES;
  }

  private final List<DashboardFiles.Dashboard> dashboards = DashboardFiles.all();

  @Test
  void theEightDashboardsParseAndHaveUniqueUids() {
    assertThat(dashboards).hasSize(8);
    List<String> uids = dashboards.stream().map(DashboardFiles.Dashboard::uid).toList();
    assertThat(uids)
        .doesNotHaveDuplicates()
        .allMatch(u -> u.matches("[a-z0-9-]{1,40}"), "a Grafana uid (at most 40 characters)");
    assertThat(dashboards.stream().map(DashboardFiles.Dashboard::title).toList())
        .doesNotHaveDuplicates()
        .allMatch(t -> t.startsWith("tlsrpt: "));
    for (DashboardFiles.Dashboard d : dashboards) {
      assertThat(d.json().path("id").isMissingNode() || d.json().path("id").isNull())
          .as("%s has no numeric id (Grafana assigns it)", d.file())
          .isTrue();
      assertThat(d.json().path("tags").toString()).as("tags of %s", d.uid()).contains("\"tlsrpt\"");
      assertThat(d.json().path("timezone").asText())
          .as("%s shows UTC, the time zone of the report days", d.uid())
          .isEqualTo("utc");
    }
  }

  @Test
  void panelIdsAreUniqueAndPanelsDoNotOverlap() {
    for (DashboardFiles.Dashboard d : dashboards) {
      List<Integer> ids = new ArrayList<>();
      List<int[]> boxes = new ArrayList<>();
      for (JsonNode p : d.panels()) {
        assertThat(p.path("id").isInt()).as("%s: panel %s has an id", d.uid(), p.path("title"));
        ids.add(p.path("id").asInt());
        JsonNode g = p.path("gridPos");
        int[] box = {
          g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()
        };
        assertThat(box[2]).as("width of %s", p.path("title")).isPositive();
        assertThat(box[3]).as("height of %s", p.path("title")).isPositive();
        assertThat(box[0] + box[2])
            .as("%s fits the 24 columns", p.path("title"))
            .isLessThanOrEqualTo(24);
        for (int[] other : boxes) {
          boolean apart =
              box[0] + box[2] <= other[0]
                  || other[0] + other[2] <= box[0]
                  || box[1] + box[3] <= other[1]
                  || other[1] + other[3] <= box[1];
          assertThat(apart).as("%s: panel %s overlaps another", d.uid(), p.path("title")).isTrue();
        }
        boxes.add(box);
      }
      assertThat(ids).as("panel ids of %s", d.uid()).doesNotHaveDuplicates();
    }
  }

  @Test
  void everyPanelQueryAndVariableNamesTheProvisionedClickHouseDataSource() {
    List<String> wrong = new ArrayList<>();
    for (DashboardFiles.Dashboard d : dashboards) {
      for (JsonNode p : d.panels()) {
        if (p.path("type").asText().equals("row")) {
          continue;
        }
        checkDataSource(d.uid() + " panel " + p.path("title"), p.path("datasource"), wrong);
        assertThat(p.path("targets").size()).as("queries of %s", p.path("title")).isEqualTo(1);
        for (JsonNode t : p.path("targets")) {
          checkDataSource(d.uid() + " query of " + p.path("title"), t.path("datasource"), wrong);
          assertThat(t.path("editorType").asText()).as("%s", p.path("title")).isEqualTo("sql");
          assertThat(t.path("rawSql").asText()).as("%s", p.path("title")).isNotBlank();
        }
      }
      for (JsonNode v : d.variables()) {
        checkDataSource(d.uid() + " variable " + v.path("name"), v.path("datasource"), wrong);
      }
    }
    assertThat(wrong).as("data sources other than %s", DATASOURCE_UID).isEmpty();
  }

  private static void checkDataSource(String where, JsonNode ds, List<String> wrong) {
    if (!ds.path("uid").asText().equals(DATASOURCE_UID)
        || !ds.path("type").asText().equals(DATASOURCE_TYPE)) {
      wrong.add(where + ": " + ds);
    }
  }

  @Test
  void everyDashboardHasItsMultiValueVariablesWithAll() {
    for (DashboardFiles.Dashboard d : dashboards) {
      assertThat(d.variableNames()).as("variables of %s", d.uid()).isEqualTo(variablesOf(d));
      for (JsonNode v : d.variables()) {
        String name = v.path("name").asText();
        assertThat(v.path("type").asText())
            .as("%s.%s: $__conditionalAll needs a query variable", d.uid(), name)
            .isEqualTo("query");
        assertThat(v.path("multi").asBoolean()).as("%s.%s is multi-value", d.uid(), name).isTrue();
        assertThat(v.path("includeAll").asBoolean()).as("%s.%s offers All", d.uid(), name).isTrue();
        assertThat(v.has("allValue") && !v.path("allValue").isNull())
            .as(
                "%s.%s keeps Grafana's All value, which $__conditionalAll recognises",
                d.uid(), name)
            .isFalse();
        assertThat(v.path("current").path("value").toString())
            .as("%s.%s starts at All", d.uid(), name)
            .isEqualTo("[\"$__all\"]");
        assertThat(v.path("query").isTextual())
            .as("%s.%s query is SQL text", d.uid(), name)
            .isTrue();
        assertThat(GrafanaSql.variableNames(v.path("query").asText()))
            .as("%s.%s refers to no variable", d.uid(), name)
            .isEmpty();
      }
    }
  }

  @Test
  void everyVariableAQueryUsesIsDefinedAndFilteredThroughConditionalAll() {
    for (DashboardFiles.Dashboard d : dashboards) {
      for (DashboardFiles.Panel p : d.queryPanels()) {
        assertThat(d.variableNames())
            .as("%s uses only variables its dashboard defines", p)
            .containsAll(GrafanaSql.variableNames(p.sql()));
        // expanding with All and with values fails on an unknown macro or variable, a variable
        // outside $__conditionalAll, or one that is not single-quoted
        Map<String, GrafanaSql.Selection> values = new LinkedHashMap<>();
        d.variableNames().forEach(n -> values.put(n, GrafanaSql.Selection.of("a'b", "c")));
        GrafanaSql.expand(p.sql(), TlsrptFixture.RANGE, DashboardQueriesTest.allOf(d));
        String narrowed = GrafanaSql.expand(p.sql(), TlsrptFixture.RANGE, values);
        assertThat(narrowed).as("%s after expansion", p).doesNotContain("$");
      }
    }
  }

  @Test
  void everyPanelAppliesEveryVariableOfItsDashboardButThoseOnRejectedInputs() {
    for (DashboardFiles.Dashboard d : dashboards) {
      for (DashboardFiles.Panel p : d.queryPanels()) {
        List<String> used = GrafanaSql.variableNames(p.sql());
        if (p.sql().contains("FROM rejected_inputs")) {
          assertThat(used).as("%s: a rejected input has no domain or organization", p).isEmpty();
          assertThat(p.json().path("description").asText())
              .as("%s says the variables do not apply", p)
              .contains("variables do not apply");
        } else if (p.sql().contains("FROM posture_findings")) {
          assertThat(d.uid())
              .as("%s: posture findings are on their own dashboard", p)
              .isEqualTo(POSTURE_UID);
          assertThat(used).as("variables %s applies", p).containsOnly("policy_domain");
          assertThat(p.json().path("description").asText())
              .as("%s says the organization and mode do not apply", p)
              .contains("variables do not apply");
        } else {
          assertThat(used).as("variables %s applies", p).containsAll(VARIABLES);
        }
      }
    }
  }

  @Test
  void noQueryHoldsWhatJavaScriptsReplaceWouldRewrite() {
    // the plugin applies $__conditionalAll with String.replace, which treats $', $&, $` and $$ in
    // the kept condition as patterns
    Pattern special = Pattern.compile("\\$['&`$]|\\$\\d");
    for (DashboardFiles.Dashboard d : dashboards) {
      for (DashboardFiles.Panel p : d.queryPanels()) {
        assertThat(special.matcher(p.sql()).find()).as("%s", p).isFalse();
      }
    }
  }

  private static final Pattern SUMMARY_READ = Pattern.compile("FROM daily_summary FINAL");
  private static final String NEWEST_BUILD =
      "(day, version) GLOBAL IN (SELECT day, max(version) FROM daily_summary WHERE ";
  private static final Pattern ANY_SUMMARY = Pattern.compile("FROM daily_summary\\b");
  private static final Pattern BASE_TABLE =
      Pattern.compile("\\b(?:FROM|JOIN)\\s+(reports|policies|failures|raw_inputs)\\b(\\s+FINAL)?");

  /** Asserts that a query reads the summary and the base tables as tlsrpt does. */
  static void readsAsTlsrptDoes(String where, String sql) {
    int finals = count(SUMMARY_READ, sql);
    int newest = count(Pattern.compile(Pattern.quote(NEWEST_BUILD)), sql);
    assertThat(newest)
        .as("%s: every read of daily_summary FINAL takes each day's newest build", where)
        .isEqualTo(finals);
    assertThat(count(ANY_SUMMARY, sql))
        .as("%s: daily_summary is read with FINAL, or for the newest build, nowhere else", where)
        .isEqualTo(finals + newest);
    Matcher m = BASE_TABLE.matcher(sql);
    while (m.find()) {
      assertThat(m.group(2)).as("%s: %s is read with FINAL", where, m.group(1)).isNotNull();
    }
  }

  private static int count(Pattern p, String s) {
    int n = 0;
    Matcher m = p.matcher(s);
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void theSummaryIsReadWithFinalAndEachDaysNewestBuildAndTheTablesWithFinal() {
    for (DashboardFiles.Dashboard d : dashboards) {
      for (DashboardFiles.Panel p : d.queryPanels()) {
        readsAsTlsrptDoes(p.toString(), p.sql());
      }
      for (JsonNode v : d.variables()) {
        readsAsTlsrptDoes(d.uid() + " variable " + v.path("name"), v.path("query").asText());
      }
    }
  }

  @Test
  void thePanelsReadingTheSummarySayItIsRebuiltEvery30Seconds() {
    for (DashboardFiles.Dashboard d : dashboards) {
      for (DashboardFiles.Panel p : d.queryPanels()) {
        String description = p.json().path("description").asText();
        assertThat(description).as("description of %s", p).isNotBlank();
        if (p.sql().contains("daily_summary")) {
          assertThat(description).as("description of %s", p).contains("every 30 s");
        }
      }
    }
  }

  @Test
  void unitsFitTheColumns() {
    Pattern alias = Pattern.compile("AS `([^`]+)`|AS (\\w+)");
    for (DashboardFiles.Dashboard d : dashboards) {
      for (DashboardFiles.Panel p : d.queryPanels()) {
        JsonNode defaults = p.json().path("fieldConfig").path("defaults");
        assertThat(defaults.path("unit").asText()).as("unit of %s", p).isNotBlank();
        Set<String> columns = new HashSet<>();
        Matcher m = alias.matcher(p.sql());
        while (m.find()) {
          columns.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        Map<String, String> units = new LinkedHashMap<>();
        for (JsonNode o : p.json().path("fieldConfig").path("overrides")) {
          String column = o.path("matcher").path("options").asText();
          assertThat(columns).as("%s: an override names a column of the query", p).contains(column);
          for (JsonNode prop : o.path("properties")) {
            if (prop.path("id").asText().equals("unit")) {
              units.put(column, prop.path("value").asText());
            }
          }
        }
        for (String c : columns) {
          String unit = units.getOrDefault(c, defaults.path("unit").asText());
          if (c.endsWith("rate")) {
            assertThat(unit).as("%s: unit of %s", p, c).isEqualTo("percentunit");
          }
          if (c.startsWith("Last ") || c.startsWith("First ") || c.equals("Received")) {
            assertThat(unit).as("%s: unit of %s", p, c).isEqualTo("dateTimeAsIso");
          }
          if (c.contains("sessions") || c.equals("Failed") || c.equals("Successful")) {
            assertThat(unit).as("%s: unit of %s", p, c).isEqualTo("short");
          }
        }
      }
    }
  }

  @Test
  void linksLeadToTheOtherTlsrptDashboards() {
    Set<String> uids = new HashSet<>();
    dashboards.forEach(d -> uids.add(d.uid()));
    Pattern target = Pattern.compile("^/d/([^/?]+)");
    int dataLinks = 0;
    for (DashboardFiles.Dashboard d : dashboards) {
      JsonNode links = d.json().path("links");
      assertThat(links.size()).as("links of %s", d.uid()).isPositive();
      for (JsonNode l : links) {
        assertThat(l.path("type").asText()).isEqualTo("dashboards");
        assertThat(l.path("tags").toString()).contains("\"tlsrpt\"");
        assertThat(l.path("includeVars").asBoolean())
            .as("links of %s keep the variables", d.uid())
            .isTrue();
        assertThat(l.path("keepTime").asBoolean())
            .as("links of %s keep the time", d.uid())
            .isTrue();
      }
      for (JsonNode p : d.panels()) {
        for (JsonNode o : p.path("fieldConfig").path("overrides")) {
          for (JsonNode prop : o.path("properties")) {
            if (!prop.path("id").asText().equals("links")) {
              continue;
            }
            for (JsonNode link : prop.path("value")) {
              Matcher m = target.matcher(link.path("url").asText());
              assertThat(m.find()).as("%s: link %s", d.uid(), link).isTrue();
              assertThat(uids).as("%s: link %s", d.uid(), link).contains(m.group(1));
              assertThat(m.group(1)).as("%s links elsewhere", d.uid()).isNotEqualTo(d.uid());
              dataLinks++;
            }
          }
        }
      }
    }
    assertThat(dataLinks).as("data links between dashboards").isGreaterThanOrEqualTo(5);
  }
}

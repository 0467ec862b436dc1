package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The alerting provisioning files as Grafana reads them: apiVersion 1, unique rule uids, conditions
 * and expressions naming refIds that exist, queries on the tlsrpt-clickhouse data source, "$" only
 * where Grafana leaves it alone, and notifications to the webhook of GRAFANA_ALERT_WEBHOOK_URL.
 */
class AlertRuleFilesTest {
  private static final Set<String> IN_APP_RULES =
      Set.of("enforce_failures", "failure_rate", "reporter_silent", "rejected_spike");

  @Test
  void everyAlertingFileParsesWithApiVersion1() {
    List<AlertRuleFiles.File> files = AlertRuleFiles.all();
    assertThat(files)
        .extracting(f -> f.path().getFileName().toString())
        .containsExactly("tlsrpt-notifications.yaml", "tlsrpt-rules.yaml");
    for (AlertRuleFiles.File f : files) {
      assertThat(f.yaml().path("apiVersion").asInt()).as("apiVersion of %s", f.path()).isEqualTo(1);
    }
  }

  @Test
  void theFourRulesHaveUniqueUidsAndTitlesInTheTlsrptFolder() {
    List<AlertRuleFiles.Rule> rules = AlertRuleFiles.rules();
    assertThat(rules).hasSize(4);
    assertThat(rules.stream().map(AlertRuleFiles.Rule::uid))
        .doesNotHaveDuplicates()
        .allMatch(u -> u.matches("[a-z0-9-]{1,40}"));
    assertThat(rules.stream().map(AlertRuleFiles.Rule::title)).doesNotHaveDuplicates();
    Set<String> groups = new HashSet<>();
    for (AlertRuleFiles.Rule r : rules) {
      groups.add(r.group().path("name").asText());
      assertThat(r.group().path("folder").asText())
          .as("%s is in the folder the dashboards are provisioned to", r)
          .isEqualTo(dashboardFolder());
      assertThat(r.group().path("interval").asText()).as("%s", r).matches("\\d+[mh]");
      assertThat(r.json().path("labels").path("tlsrpt_rule").asText())
          .as("%s carries the name the in-app alerting uses", r)
          .isIn(IN_APP_RULES);
      assertThat(r.json().path("noDataState").asText()).as("%s", r).isEqualTo("OK");
      assertThat(r.json().path("execErrState").asText()).as("%s", r).isIn("Error", "Alerting");
      assertThat(r.json().path("annotations").path("summary").asText()).as("%s", r).isNotBlank();
      assertThat(r.json().path("annotations").path("description").asText())
          .as("%s", r)
          .isNotBlank();
    }
    assertThat(rules.stream().map(r -> r.json().path("labels").path("tlsrpt_rule").asText()))
        .containsExactlyInAnyOrderElementsOf(IN_APP_RULES);
    assertThat(groups).hasSize(2);
  }

  private static String dashboardFolder() {
    try {
      return new YAMLMapper()
          .readTree(RepoPaths.GRAFANA.resolve("provisioning/dashboards/tlsrpt.yaml").toFile())
          .path("providers")
          .get(0)
          .path("folder")
          .asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void conditionsAndExpressionsNameRefIdsOfTheirRule() {
    for (AlertRuleFiles.Rule r : AlertRuleFiles.rules()) {
      Set<String> refIds = new HashSet<>();
      for (JsonNode d : r.json().path("data")) {
        String refId = d.path("refId").asText();
        assertThat(refIds.add(refId)).as("%s: refId %s is unique", r, refId).isTrue();
        assertThat(d.path("model").path("refId").asText())
            .as("%s: model of %s", r, refId)
            .isEqualTo(refId);
      }
      assertThat(refIds).as("%s: the condition", r).contains(r.json().path("condition").asText());
      for (JsonNode d : r.json().path("data")) {
        if (d.path("datasourceUid").asText().equals("__expr__")) {
          JsonNode model = d.path("model");
          assertThat(model.path("datasource").path("uid").asText()).isEqualTo("__expr__");
          assertThat(model.path("type").asText())
              .as("%s: expression type", r)
              .isEqualTo("threshold");
          assertThat(refIds)
              .as("%s: the expression reads a refId of the rule", r)
              .contains(model.path("expression").asText());
          assertThat(model.path("expression").asText()).isNotEqualTo(d.path("refId").asText());
          JsonNode evaluator = model.path("conditions").get(0).path("evaluator");
          assertThat(evaluator.path("type").asText())
              .isIn("gt", "lt", "within_range", "outside_range");
          assertThat(evaluator.path("params").size()).isPositive();
        }
      }
    }
  }

  @Test
  void everyQueryRunsOnTlsrptClickHouseOverARelativeTimeRange() {
    for (AlertRuleFiles.Rule r : AlertRuleFiles.rules()) {
      assertThat(r.queries()).as("%s has a query", r).hasSize(1);
      for (JsonNode q : r.queries()) {
        assertThat(q.path("datasourceUid").asText())
            .as("%s", r)
            .isEqualTo(DashboardFilesTest.DATASOURCE_UID);
        JsonNode model = q.path("model");
        assertThat(model.path("datasource").path("uid").asText())
            .isEqualTo(DashboardFilesTest.DATASOURCE_UID);
        assertThat(model.path("datasource").path("type").asText())
            .isEqualTo(DashboardFilesTest.DATASOURCE_TYPE);
        assertThat(model.path("editorType").asText()).isEqualTo("sql");
        assertThat(model.path("format").asInt(-1)).as("%s: table format", r).isEqualTo(1);
        long from = q.path("relativeTimeRange").path("from").asLong();
        long to = q.path("relativeTimeRange").path("to").asLong(-1);
        assertThat(from).as("%s: relativeTimeRange", r).isGreaterThan(to);
        assertThat(to).isZero();
        String sql = model.path("rawSql").asText();
        assertThat(GrafanaSql.variableNames(sql))
            .as("%s: alerting has no template variables", r)
            .isEmpty();
        assertThat(sql)
            .as("%s: the plugin applies $__conditionalAll in the browser only", r)
            .doesNotContain("$__conditionalAll");
        DashboardFilesTest.readsAsTlsrptDoes(r.toString(), sql);
        GrafanaSql.expandRule(sql, TlsrptFixture.RANGE);
      }
    }
  }

  /**
   * Grafana replaces $NAME with an environment variable in the fields of these files, except in a
   * query's model: a "$" anywhere else would be replaced (by nothing, mostly).
   */
  @Test
  void dollarSignsAppearOnlyInQueriesAndTheWebhookVariable() {
    List<String> found = new ArrayList<>();
    for (AlertRuleFiles.File f : AlertRuleFiles.all()) {
      collectDollars(f.yaml(), f.path().getFileName() + ":", found);
    }
    assertThat(found)
        .allMatch(
            p -> p.contains("/model/rawSql") || p.endsWith("/settings/url"),
            "in a query or the webhook URL")
        .anyMatch(p -> p.endsWith("/settings/url"));
  }

  private static void collectDollars(JsonNode node, String path, List<String> found) {
    if (node.isTextual() && node.asText().contains("$")) {
      found.add(path);
    }
    if (node.isObject()) {
      node.properties().forEach(e -> collectDollars(e.getValue(), path + "/" + e.getKey(), found));
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectDollars(node.get(i), path + "/" + i, found);
      }
    }
  }

  @Test
  void annotationsLinkToAPanelThatExists() {
    for (AlertRuleFiles.Rule r : AlertRuleFiles.rules()) {
      JsonNode a = r.json().path("annotations");
      DashboardFiles.Dashboard d = DashboardFiles.byUid(a.path("__dashboardUid__").asText());
      int panel = Integer.parseInt(a.path("__panelId__").asText());
      assertThat(d.queryPanels())
          .as("%s links to panel %d of %s", r, panel, d.uid())
          .anyMatch(p -> p.id() == panel);
    }
  }

  @Test
  void alertsGoToTheWebhookOfGrafanaAlertWebhookUrl() throws IOException {
    JsonNode n =
        AlertRuleFiles.all().stream()
            .filter(f -> f.path().getFileName().toString().equals("tlsrpt-notifications.yaml"))
            .findFirst()
            .orElseThrow()
            .yaml();
    JsonNode contact = n.path("contactPoints").get(0);
    JsonNode receiver = contact.path("receivers").get(0);
    assertThat(receiver.path("type").asText()).isEqualTo("webhook");
    assertThat(receiver.path("uid").asText()).matches("[a-z0-9-]{1,40}");
    assertThat(receiver.path("settings").path("url").asText())
        .isEqualTo("${GRAFANA_ALERT_WEBHOOK_URL}");
    JsonNode policy = n.path("policies").get(0);
    assertThat(policy.path("receiver").asText())
        .as("the policy routes to the contact point")
        .isEqualTo(contact.path("name").asText());
    assertThat(policy.path("orgId").asInt()).isEqualTo(contact.path("orgId").asInt());

    JsonNode compose =
        new YAMLMapper().readTree(RepoPaths.ROOT.resolve("docker-compose.yml").toFile());
    assertThat(
            compose
                .path("services")
                .path("grafana")
                .path("environment")
                .path("GRAFANA_ALERT_WEBHOOK_URL")
                .asText())
        .as("docker-compose.yml passes GRAFANA_ALERT_WEBHOOK_URL to Grafana")
        .startsWith("${GRAFANA_ALERT_WEBHOOK_URL");
    String deployment = Files.readString(RepoPaths.ROOT.resolve("docs/deployment.md"));
    assertThat(deployment).contains("GRAFANA_ALERT_WEBHOOK_URL").contains("dashboards.md");
  }
}

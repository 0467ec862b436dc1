package org.tlsrpt.storage.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rendering of the schema for one machine and for a cluster. The cluster DDL cannot run here
 * (no ClickHouse Keeper or second server), so its shape is checked statement by statement.
 */
class MigrationsTest {
  private static final Pattern CREATE_TABLE =
      Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)\\.(\\w+)");

  private static List<String> rendered(SchemaOptions options) {
    Migrations m = new Migrations(null, options);
    return Migrations.all().stream()
        .flatMap(x -> Migrations.statements(m.render(x.sql())).stream())
        .toList();
  }

  @Test
  void rendersPlainTablesOnOneMachine() {
    List<String> ddl = rendered(SchemaOptions.local("tlsrpt"));
    assertThat(ddl).isNotEmpty().allSatisfy(s -> assertThat(s).doesNotContain("${"));
    assertThat(String.join("\n", ddl))
        .doesNotContain("ON CLUSTER")
        .doesNotContain("Replicated")
        .doesNotContain("Distributed")
        .doesNotContain("_local")
        .contains("CREATE TABLE IF NOT EXISTS tlsrpt.reports\n");
  }

  @Test
  void rendersReplicatedLocalTablesAndDistributedTablesOnACluster() {
    List<String> all = rendered(new SchemaOptions("tlsrpt", "tlsrpt_cluster"));
    // data statements (V004's back-fill of report_keys) go through the Distributed tables
    List<String> ddl = all.stream().filter(s -> !s.startsWith("INSERT ")).toList();
    assertThat(all.stream().filter(s -> s.startsWith("INSERT ")))
        .containsExactly(
            "INSERT INTO tlsrpt.report_keys SELECT report_key, version FROM tlsrpt.reports");
    assertThat(ddl)
        .allSatisfy(s -> assertThat(s).doesNotContain("${").contains("ON CLUSTER tlsrpt_cluster"));
    List<String> locals =
        ddl.stream().filter(s -> s.contains("MergeTree(")).map(MigrationsTest::tableOf).toList();
    assertThat(locals)
        .contains("raw_inputs_local", "reports_local", "policies_local", "failures_local")
        .allSatisfy(t -> assertThat(t).endsWith("_local"));
    assertThat(ddl.stream().filter(s -> s.contains("MergeTree(")))
        .allSatisfy(
            s ->
                assertThat(s)
                    .containsPattern(
                        "ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard}/tlsrpt/\\w+', '\\{replica}'"));
    for (String local : locals) {
      String name = local.substring(0, local.length() - "_local".length());
      assertThat(ddl)
          .as("a Distributed table over %s", local)
          .anySatisfy(
              s ->
                  assertThat(s)
                      .startsWith("CREATE TABLE IF NOT EXISTS tlsrpt." + name + " ON CLUSTER")
                      .contains(
                          "AS tlsrpt."
                              + local
                              + " ENGINE = Distributed(tlsrpt_cluster, tlsrpt, "
                              + local
                              + ", "));
    }
    // a report's rows shard together, so FINAL collapses its copies on one shard
    for (String t : List.of("reports", "policies", "failures")) {
      assertThat(ddl)
          .anySatisfy(s -> assertThat(s).contains(t + "_local, cityHash64(report_key))"));
    }
    // readers and writers use the Distributed names
    assertThat(ddl.stream().filter(s -> s.contains("CREATE VIEW")))
        .allSatisfy(s -> assertThat(s).contains("FROM tlsrpt.raw_inputs FINAL"));
  }

  private static String tableOf(String statement) {
    Matcher m = CREATE_TABLE.matcher(statement);
    assertThat(m.find()).isTrue();
    return m.group(2);
  }
}

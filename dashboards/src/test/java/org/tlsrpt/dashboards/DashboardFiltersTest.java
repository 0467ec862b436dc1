package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.dashboards.Expect.cols;
import static org.tlsrpt.dashboards.Expect.row;
import static org.tlsrpt.dashboards.Expect.rows;
import static org.tlsrpt.dashboards.Expect.single;
import static org.tlsrpt.dashboards.TlsrptFixture.DAILY;
import static org.tlsrpt.dashboards.TlsrptFixture.DANE;
import static org.tlsrpt.dashboards.TlsrptFixture.LATE;
import static org.tlsrpt.dashboards.TlsrptFixture.NEWS;
import static org.tlsrpt.dashboards.TlsrptFixture.RELIABLE;
import static org.tlsrpt.dashboards.TlsrptFixture.SHOP;
import static org.tlsrpt.dashboards.TlsrptFixture.SMITHS;
import static org.tlsrpt.dashboards.TlsrptFixture.TINY;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template variables narrow what the panels show: one value, several values, a value with a
 * quote in it, and the "n/a" mode of policies without an MTA-STS mode.
 */
class DashboardFiltersTest {
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

  private static final GrafanaSql.Selection ALL = GrafanaSql.Selection.all();

  private static Map<String, GrafanaSql.Selection> vars(
      GrafanaSql.Selection domain, GrafanaSql.Selection organization, GrafanaSql.Selection mode) {
    Map<String, GrafanaSql.Selection> v = new LinkedHashMap<>();
    v.put("policy_domain", domain);
    v.put("organization", organization);
    v.put("mode", mode);
    return v;
  }

  private static QueryRows run(
      String uid, String panel, Map<String, GrafanaSql.Selection> variables) {
    DashboardFiles.Panel p = DashboardFiles.byUid(uid).panel(panel);
    return store.query(GrafanaSql.expand(p.sql(), TlsrptFixture.RANGE, variables));
  }

  private static long stat(
      String uid, String panel, String column, Map<String, GrafanaSql.Selection> variables) {
    return single(run(uid, panel, variables), column).longValueExact();
  }

  @Test
  void onePolicyDomainNarrowsTheSummaryTheDetailsAndTheReports() {
    var shop = vars(GrafanaSql.Selection.of(SHOP), ALL, ALL);
    assertThat(stat("tlsrpt-overview", "Successful sessions", "Successful sessions", shop))
        .isEqualTo(10300);
    assertThat(stat("tlsrpt-overview", "Failed sessions", "Failed sessions", shop)).isEqualTo(121);
    // Reliable Mail 8, Daily Sender 12, Late Enforcer 1
    assertThat(stat("tlsrpt-overview", "Reports", "Reports", shop)).isEqualTo(21);
    rows(
        run("tlsrpt-organizations", "Sending organizations", shop),
        cols("Organization", "Reports", "Successful sessions", "Failed sessions"),
        row(RELIABLE, 8, 7900, 114),
        row(LATE, 1, 0, 7),
        row(DAILY, 12, 2400, 0));
    assertThat(Expect.sum(run("tlsrpt-failures", "Failure details", shop), "Failed sessions"))
        .isEqualTo(121);
    // the reports table has no policy domain: the panel reaches it through the policies
    rows(
        run("tlsrpt-reporters", "Reporters", vars(GrafanaSql.Selection.of(DANE), ALL, ALL)),
        cols("Organization", "Reports", "Days"),
        row(DAILY, 12, 12));
  }

  @Test
  void severalOrganizationsOneWithAnApostropheAreQuotedAndEscaped() {
    var two = vars(ALL, GrafanaSql.Selection.of(SMITHS, LATE), ALL);
    String sql =
        GrafanaSql.expand(
            DashboardFiles.byUid("tlsrpt-overview").panel("Successful sessions").sql(),
            TlsrptFixture.RANGE,
            two);
    assertThat(sql).contains("organization IN ('Smith\\'s Mail','Late Enforcer')");
    assertThat(stat("tlsrpt-overview", "Successful sessions", "Successful sessions", two))
        .isEqualTo(200);
    assertThat(stat("tlsrpt-overview", "Failed sessions", "Failed sessions", two)).isEqualTo(7);
    rows(
        run("tlsrpt-reporters", "DKIM results", two),
        cols("Organization", "DKIM", "Reports"),
        row(LATE, "not-checked", 1),
        row(SMITHS, "not-checked", 2));
    rows(
        run("tlsrpt-policies", "Policies per sender and domain", two),
        cols("Organization", "Policy domain", "Policies"),
        row(LATE, SHOP, 1),
        row(SMITHS, NEWS, 1));
  }

  @Test
  void theModeVariableCallsPoliciesWithoutAModeNa() {
    var na = vars(ALL, ALL, GrafanaSql.Selection.of("n/a"));
    assertThat(stat("tlsrpt-overview", "Successful sessions", "Successful sessions", na))
        .isEqualTo(600);
    rows(
        run("tlsrpt-domains", "Policy domains", na),
        cols("Policy domain", "Policy types", "Modes", "Successful sessions"),
        row(DANE, "tlsa", "n/a", 600));
    var enforceOrNone = vars(ALL, ALL, GrafanaSql.Selection.of("enforce", "none"));
    assertThat(stat("tlsrpt-overview", "Successful sessions", "Successful sessions", enforceOrNone))
        .isEqualTo(10310);
    assertThat(stat("tlsrpt-overview", "Failed sessions", "Failed sessions", enforceOrNone))
        .isEqualTo(131);
    // reports with a testing-mode policy: Reliable Mail's for news and bulk, Smith's Mail's
    rows(
        run("tlsrpt-reporters", "Reporters", vars(ALL, ALL, GrafanaSql.Selection.of("testing"))),
        cols("Organization", "Reports"),
        row(RELIABLE, 16),
        row(SMITHS, 2));
  }

  /**
   * With every variable narrowed to several values, each panel shows rows of those values only
   * (where it shows the column), and the totals of what the selection holds. Each variable alone
   * shuts something out: bulk.example (testing, Reliable Mail) only by its domain, Late Enforcer
   * (shop.example, enforce) only by its organization, tiny.example (none, Reliable Mail) only by
   * its mode.
   */
  @TestFactory
  Stream<DynamicTest> everyPanelShowsOnlyTheSelectedValues() {
    Map<String, GrafanaSql.Selection> picked =
        vars(
            GrafanaSql.Selection.of(SHOP, NEWS, TINY),
            GrafanaSql.Selection.of(RELIABLE, DAILY, SMITHS),
            GrafanaSql.Selection.of("enforce", "testing"));
    Map<String, List<String>> allowed =
        Map.of(
            "Policy domain", List.of(SHOP, NEWS, TINY),
            "policy_domain", List.of(SHOP, NEWS, TINY),
            "Organization", List.of(RELIABLE, DAILY, SMITHS),
            "organization", List.of(RELIABLE, DAILY, SMITHS),
            "Mode", List.of("enforce", "testing"));
    return DashboardFiles.all().stream()
        .flatMap(d -> d.queryPanels().stream())
        .map(
            p ->
                DynamicTest.dynamicTest(
                    p.key(),
                    () -> {
                      QueryRows r =
                          store.query(GrafanaSql.expand(p.sql(), TlsrptFixture.RANGE, picked));
                      for (var e : allowed.entrySet()) {
                        if (r.names().contains(e.getKey())) {
                          assertThat(r.column(e.getKey()))
                              .as("%s under the selection", e.getKey())
                              .isNotEmpty()
                              .allMatch(e.getValue()::contains);
                        }
                      }
                      if (r.names().contains("Failed sessions")
                          && p.sql().contains("daily_summary")
                          && p.sql().contains("result_type = ''")
                          && !p.sql().contains("mode = 'enforce'")) {
                        // Reliable Mail: shop 114 and news 41; Daily Sender and Smith's Mail: 0;
                        // tiny.example's 10 are under mode none
                        assertThat(Expect.sum(r, "Failed sessions")).as("%s", r).isEqualTo(155);
                      }
                    }));
  }
}

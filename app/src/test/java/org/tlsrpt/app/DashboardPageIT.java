package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.demo.DemoData;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.testkit.FreePorts;

/**
 * The dashboard page in Debian's headless Chromium, driven by Selenium through the chromedriver of
 * the chromium-driver package, against a real {@link TlsrptServer} with the demo data: the charts
 * draw the stored figures, a click on an organization or a domain filters the page, the rejected
 * inputs are listed with their reasons. Screenshots go to {@code target/screenshots/}. Chromium
 * missing is a failure (CI installs it), never a skip.
 */
class DashboardPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static TlsrptServer server;
  private static DemoData.Outcome demo;
  private static String base;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as(
            "Chromium and its driver are needed: apt-get install chromium chromium-driver (.ci/run"
                + " installs them)")
        .isTrue();
    int port = FreePorts.tcp();
    Settings s = WebDashboardTest.settings(dir, port);
    demo = DemoData.loadIfEmpty(AllSettings.from(s, null), Clock.systemUTC());
    server = TlsrptServer.start(s, null);
    base = "http://127.0.0.1:" + port;

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")),
        "--window-size=1400,2700");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  /** Waits until the page has drawn {@code renders} times, and checks it drew without error. */
  private static void awaitRenders(long renders) {
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(
            d ->
                ((Number)
                            js(
                                "return window.tlsrptDashboard ? window.tlsrptDashboard.renders"
                                    + " : 0"))
                        .longValue()
                    >= renders);
    assertThat(js("return window.tlsrptDashboard.error")).isNull();
  }

  private static long renders() {
    return ((Number) js("return window.tlsrptDashboard.renders")).longValue();
  }

  /** The sum of one series' data in the chart drawn in element {@code id}. */
  private static long seriesSum(String id, int series) {
    return ((Number)
            js(
                "const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                    + " return c.getOption().series[arguments[1]].data"
                    + ".reduce((a, b) => a + (b || 0), 0);",
                id,
                series))
        .longValue();
  }

  private static void screenshot(String name) throws Exception {
    File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private static JsonNode api(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private static List<String> texts(String css) {
    return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  @Test
  void drawsTheDemoMonthFiltersOnClickAndListsRejectedInputs() throws Exception {
    browser.get(base + "/?since=31d");
    awaitRenders(1);
    screenshot("dashboard.png");

    // the charts are drawn on canvases, from the stored figures
    assertThat(browser.findElements(By.cssSelector("#chart-daily canvas"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#chart-modes canvas"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#chart-results canvas"))).isNotEmpty();
    assertThat(seriesSum("chart-daily", 0)).isEqualTo(demo.month().successful());
    assertThat(seriesSum("chart-daily", 1)).isEqualTo(demo.month().failed());
    assertThat(seriesSum("chart-results", 0)).isEqualTo(demo.month().failed());
    assertThat(
            ((Number)
                    js(
                        "return echarts.getInstanceByDom(document.getElementById('chart-modes'))"
                            + ".getOption().series.length"))
                .intValue())
        .isEqualTo(6); // failed sessions and failure rate for enforce, testing and none
    assertThat(browser.findElement(By.id("kpi-reports")).getText()).isEqualTo("330");
    // the header shows /health: every source of this server works
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(d -> d.findElement(By.id("health")).isDisplayed());
    assertThat(browser.findElement(By.id("health")).getAttribute("data-status")).isEqualTo("ok");
    assertThat(browser.findElement(By.id("health-state")).getText())
        .isEqualTo("all sources working");
    assertThat(browser.findElement(By.id("demo-banner")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("demo-banner")).getText()).contains("Demo data");
    assertThat(texts("#table-orgs tbody tr td:first-child"))
        .containsExactly("Google Inc.", "Microsoft Corporation", "Mail.ru", "server.com");

    // rejected and quarantined inputs, with their reasons
    assertThat(texts("#table-rejected tbody tr")).hasSize(6);
    assertThat(texts("#table-rejected td.code"))
        .containsExactlyInAnyOrder(
            "decompression_error",
            "not_a_report",
            "missing_field",
            "invalid_value",
            "invalid_json",
            "quarantined");
    assertThat(texts("#table-rejected td.reason"))
        .allSatisfy(r -> assertThat(r).isNotBlank())
        .anySatisfy(r -> assertThat(r).contains("total-failure-session-count"))
        .anySatisfy(r -> assertThat(r).contains("DKIM none"));
    // no alert fired: the empty state shows
    assertThat(
            browser
                .findElement(
                    By.xpath("//table[@id='table-alerts']/ancestor::section//p[@class='empty']"))
                .isDisplayed())
        .isTrue();
    // no posture check has run (check.domains is not set): the section and its empty state show
    assertThat(browser.findElement(By.id("posture")).getText()).contains("Posture checks");
    WebElement postureEmpty =
        browser.findElement(
            By.xpath("//table[@id='table-posture']/ancestor::section//p[@class='empty']"));
    assertThat(postureEmpty.isDisplayed()).isTrue();
    assertThat(postureEmpty.getText()).isEqualTo("No posture checks yet: set check.domains");
    assertThat(browser.findElement(By.id("table-posture")).isDisplayed()).isFalse();
    assertThat(browser.findElements(By.cssSelector("#table-failures tbody tr"))).isNotEmpty();

    // drill down: one organization filters the charts and the tables
    JsonNode mailru = api("/api/overview?since=31d&org=Mail.ru");
    long before = renders();
    browser.findElement(By.cssSelector("#table-orgs tr[data-org='Mail.ru']")).click();
    awaitRenders(before + 1);
    screenshot("drilldown-organization.png");
    assertThat(browser.getCurrentUrl()).contains("org=Mail.ru");
    assertThat(texts("#chips .chip")).singleElement().asString().contains("organization: Mail.ru");
    assertThat(texts("#table-orgs tbody tr")).hasSize(1);
    assertThat(browser.findElement(By.cssSelector("#table-orgs tr.selected")).getText())
        .startsWith("Mail.ru");
    assertThat(seriesSum("chart-daily", 0)).isEqualTo(mailru.get("successful_sessions").asLong());
    assertThat(seriesSum("chart-daily", 1)).isEqualTo(mailru.get("failed_sessions").asLong());
    assertThat(browser.findElement(By.id("kpi-reports")).getText()).isEqualTo("60");
    assertThat(texts("#table-failures td.orgs")).isNotEmpty().containsOnly("Mail.ru");
    assertThat(texts("#table-domains tbody tr:not(.mx) td:first-child"))
        .containsExactlyInAnyOrder("example.com", "example.net");

    // remove that filter, then drill down from a domain to its MX hosts
    before = renders();
    browser.findElement(By.cssSelector("#chips .chip button")).click();
    awaitRenders(before + 1);
    assertThat(texts("#table-orgs tbody tr")).hasSize(4);
    before = renders();
    browser.findElement(By.cssSelector("#table-domains tr[data-domain='example.com']")).click();
    awaitRenders(before + 1);
    screenshot("drilldown-domain.png");
    assertThat(browser.getCurrentUrl()).contains("domain=example.com");
    assertThat(texts("#table-domains tbody tr:not(.mx) td:first-child"))
        .containsExactly("example.com");
    assertThat(
            browser.findElements(By.cssSelector("#table-domains tr.mx")).stream()
                .map(e -> e.getDomAttribute("data-mx"))
                .toList())
        .containsExactly("mx2.example.com", "mx1.example.com");
    JsonNode com = api("/api/overview?since=31d&domain=example.com");
    assertThat(seriesSum("chart-daily", 1)).isEqualTo(com.get("failed_sessions").asLong());
    assertThat(texts("#table-failures tbody tr td:nth-child(2)")).containsOnly("example.com");
  }

  @Test
  void showsEachPolicyDomainsReadinessWithItsDetailAndTheEnforceAlertsLinkOpensIt()
      throws Exception {
    browser.get(base + "/?since=31d");
    awaitRenders(1);
    JsonNode api = api("/api/readiness?since=31d").get("rows");
    assertThat(texts("#table-readiness tbody tr td:first-child"))
        .containsExactly("example.com", "example.net", "shop.example.com");
    assertThat(texts("#table-readiness tbody tr td:nth-child(3)"))
        .containsExactly("enforced, losing mail", "not ready", "ready");
    assertThat(texts("#table-readiness tbody tr td:nth-child(8)"))
        .containsExactly(
            api.get(0).get("summary").asText(),
            api.get(1).get("summary").asText(),
            api.get(2).get("summary").asText());
    assertThat(browser.findElement(By.id("readiness-detail")).isDisplayed()).isFalse();

    // a click opens the detail: the blocking reasons with what to do, the splits, the trend
    browser.findElement(By.cssSelector("#table-readiness tr[data-domain='example.net']")).click();
    WebElement detail = browser.findElement(By.id("readiness-detail"));
    assertThat(detail.isDisplayed()).isTrue();
    screenshot("readiness-detail.png");
    JsonNode net = api.get(1);
    assertThat(detail.findElement(By.tagName("h3")).getText()).isEqualTo("example.net: not ready");
    List<String> remedies = texts("#readiness-detail ul.reasons li .remedy");
    List<String> reasons = texts("#readiness-detail ul.reasons li");
    assertThat(reasons).hasSize(net.get("reasons").size()).isNotEmpty();
    for (int i = 0; i < reasons.size(); i++) {
      assertThat(reasons.get(i)).startsWith(net.get("reasons").get(i).get("text").asText());
      assertThat(remedies.get(i)).isEqualTo(net.get("reasons").get(i).get("remedy").asText());
    }
    assertThat(reasons)
        .anySatisfy(
            r -> assertThat(r).contains("reports certificate-host-mismatch on backup.example.net"));
    assertThat(texts("#readiness-detail .splits table tbody tr td:first-child"))
        .contains("backup.example.net", "certificate-host-mismatch", "Mail.ru");
    assertThat(browser.findElements(By.cssSelector("#chart-readiness canvas"))).isNotEmpty();
    assertThat(seriesSum("chart-readiness", 0)).isPositive();

    // the link of an enforce alert: the page filtered to the domain, its readiness detail open
    browser.get(base + "/?since=31d&domain=example.com&org=Google+Inc.#readiness");
    awaitRenders(1);
    screenshot("readiness-from-alert.png");
    assertThat(texts("#table-readiness tbody tr td:first-child")).containsExactly("example.com");
    detail = browser.findElement(By.id("readiness-detail"));
    assertThat(detail.isDisplayed()).isTrue();
    assertThat(detail.findElement(By.tagName("h3")).getText())
        .isEqualTo("example.com: enforced, losing mail");
    assertThat(detail.findElement(By.tagName("h4")).getText()).isEqualTo("Mail refused");
    assertThat(texts("#readiness-detail ul.reasons li"))
        .anySatisfy(r -> assertThat(r).contains("certificate-expired on mx2.example.com"));
    // and the detail links to the domain's alert history
    WebElement alerts = detail.findElement(By.cssSelector("p.links a"));
    assertThat(alerts.getText()).isEqualTo("Alert history of example.com");
    alerts.click();
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(d -> d.getCurrentUrl().endsWith("/?domain=example.com#alerts"));
    awaitRenders(1);
    assertThat(browser.findElement(By.id("alerts")).getText()).contains("Alert history");
  }
}

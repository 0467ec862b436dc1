package org.tlsrpt.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web module on its own, over a real HTTP server on loopback and without a store: the page and
 * its files come from the jar, and every data request says why there is nothing to show. The
 * figures against a real store are in app's WebDashboardTest and DashboardPageIT.
 */
class WebDashboardFilesTest {
  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    new WebDashboard(null, null, WebDashboard.NO_STORE).register(server);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageWithItsContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<html", "dashboard.js");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'");
    assertThat(get("/dashboard/dashboard.js").statusCode()).isEqualTo(200);
    assertThat(get("/dashboard/dashboard.css").statusCode()).isEqualTo(200);
  }

  @Test
  void servesEchartsFromItsWebjarAndNothingElseFromTheClasspath() throws Exception {
    HttpResponse<String> echarts = get("/webjars/echarts/5.3.1/dist/echarts.min.js");
    assertThat(echarts.statusCode()).isEqualTo(200);
    assertThat(echarts.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
    assertThat(get("/webjars/../org/tlsrpt/web/WebDashboard.class").statusCode()).isEqualTo(404);
    assertThat(get("/dashboard/WebDashboard.class").statusCode()).isEqualTo(404);
  }

  @Test
  void answersEveryDataRequestWith503AndTheReasonWhenThereIsNoStore() throws Exception {
    for (String api :
        new String[] {
          "overview", "daily", "organizations", "failures", "alerts", "posture", "readiness"
        }) {
      HttpResponse<String> r = get("/api/" + api);
      assertThat(r.statusCode()).as(api).isEqualTo(503);
      assertThat(r.body()).as(api).contains("this process keeps no store");
    }
  }

  @Test
  void decodesQueryStrings() {
    assertThat(QueryString.parse(URI.create("http://x/a?domain=ex%20ample.com&org=A%26B&flag")))
        .containsEntry("domain", "ex ample.com")
        .containsEntry("org", "A&B")
        .containsEntry("flag", "");
  }
}

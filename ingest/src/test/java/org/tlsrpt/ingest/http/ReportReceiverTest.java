package org.tlsrpt.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.IngestTestAccess;
import org.tlsrpt.ingest.tls.Tls;

/** The HTTPS receiver on a real HTTPS server, spoken to by the JDK's HttpClient. */
class ReportReceiverTest {
  private static final char[] PW = "changeit".toCharArray();

  @TempDir static Path tlsDir;
  @TempDir Path dir;

  private static Path keys;
  private HttpsServer server;
  private IngestTestAccess store;
  private ReportReceiver receiver;

  @BeforeAll
  static void certificate() {
    keys = Tls.selfSigned(tlsDir, "reports.test", PW);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    if (store != null) {
      store.close();
    }
  }

  private URI start(IngestTestAccess s, long maxBytes, int perMinute) throws Exception {
    return start(s, maxBytes, perMinute, TrustedProxies.NONE);
  }

  private URI start(IngestTestAccess s, long maxBytes, int perMinute, TrustedProxies proxies)
      throws Exception {
    store = s;
    receiver = new ReportReceiver(s.intake(), maxBytes, perMinute, proxies);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(Tls.server(keys, PW)));
    server.createContext("/v1/tlsrpt", receiver);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return URI.create("https://localhost:" + server.getAddress().getPort() + "/v1/tlsrpt");
  }

  private static HttpResponse<String> post(URI uri, String type, byte[] body) throws Exception {
    return post(uri, type, body, null);
  }

  private static HttpResponse<String> post(URI uri, String type, byte[] body, String forwardedFor)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(Tls.client(tlsDir.resolve("self-signed-trust.p12"), PW))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest.Builder r =
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      r.header("Content-Type", type);
    }
    if (forwardedFor != null) {
      r.header("X-Forwarded-For", forwardedFor);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] sample(String name) {
    return IngestTestAccess.bytes(IngestTestAccess.sample(name));
  }

  @Test
  void storesGzipAndJsonReportsAndAnswers201() throws Exception {
    URI uri = start(IngestTestAccess.embedded(dir), 1 << 20, 0);
    HttpResponse<String> gz =
        post(uri, "application/tlsrpt+gzip", IngestTestAccess.gzip(sample("cry-inc__google.json")));
    assertThat(gz.statusCode()).as(gz.body()).isEqualTo(201);
    HttpResponse<String> json =
        post(uri, "application/tlsrpt+json; charset=utf-8", sample("parsedmarc__mail.ru.json"));
    assertThat(json.statusCode()).isEqualTo(201);
    assertThat(json.body()).contains("\"status\":\"accepted\"");
    assertThat(store.totals().reports()).isEqualTo(2);
    assertThat(store.query("SELECT DISTINCT source, dkim FROM tlsrpt.reports"))
        .isEqualTo("https\tunauthenticated");
  }

  @Test
  void answers400WithTheReasonAndKeepsTheBadReport() throws Exception {
    URI uri = start(IngestTestAccess.embedded(dir), 1 << 20, 0);
    HttpResponse<String> r =
        post(
            uri,
            "application/tlsrpt+json",
            "{\"organization-name\": \"x\"".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"code\":\"invalid_json\"").contains("not well-formed JSON");
    assertThat(store.query("SELECT source, code FROM tlsrpt.rejected_inputs"))
        .isEqualTo("https\tinvalid_json");
  }

  @Test
  void refusesOtherContentTypesWith415AndLargeBodiesWith413() throws Exception {
    URI uri = start(IngestTestAccess.embedded(dir), 1000, 0);
    assertThat(post(uri, "application/json", sample("cry-inc__google.json")).statusCode())
        .isEqualTo(415);
    assertThat(post(uri, null, sample("cry-inc__google.json")).statusCode()).isEqualTo(415);
    HttpResponse<String> big = post(uri, "application/tlsrpt+json", new byte[5000]);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("1000 bytes");
    assertThat(store.query("SELECT count() FROM tlsrpt.raw_inputs")).isEqualTo("0");
  }

  @Test
  void limitsTheRatePerClient() throws Exception {
    URI uri = start(IngestTestAccess.embedded(dir), 1 << 20, 2);
    byte[] body = sample("cry-inc__microsoft.json");
    assertThat(post(uri, "application/tlsrpt+json", body).statusCode()).isEqualTo(201);
    assertThat(post(uri, "application/tlsrpt+json", body).statusCode()).isEqualTo(201);
    HttpResponse<String> third = post(uri, "application/tlsrpt+json", body);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void behindATrustedProxyLimitsEachForwardedClientOnItsOwn() throws Exception {
    // the test client connects from 127.0.0.1, which plays the TLS proxy here
    URI uri =
        start(IngestTestAccess.embedded(dir), 1 << 20, 1, TrustedProxies.parse("127.0.0.0/8"));
    byte[] body = sample("cry-inc__microsoft.json");
    String json = "application/tlsrpt+json";
    assertThat(post(uri, json, body, "198.51.100.7").statusCode()).isEqualTo(201);
    assertThat(post(uri, json, body, "198.51.100.8").statusCode()).isEqualTo(201);
    HttpResponse<String> again = post(uri, json, body, "198.51.100.7");
    assertThat(again.statusCode()).isEqualTo(429);
    assertThat(again.body()).contains("too many reports from 198.51.100.7");
    // an address the client wrote itself before the proxy's does not buy a new bucket
    HttpResponse<String> spoofed = post(uri, json, body, "203.0.113.1, 198.51.100.8");
    assertThat(spoofed.statusCode()).isEqualTo(429);
    assertThat(spoofed.body()).contains("too many reports from 198.51.100.8");
  }

  @Test
  void ignoresXForwardedForFromAPeerThatIsNotATrustedProxy() throws Exception {
    URI uri = start(IngestTestAccess.embedded(dir), 1 << 20, 1, TrustedProxies.parse("10.0.0.0/8"));
    byte[] body = sample("cry-inc__microsoft.json");
    String json = "application/tlsrpt+json";
    assertThat(post(uri, json, body, "198.51.100.7").statusCode()).isEqualTo(201);
    HttpResponse<String> other = post(uri, json, body, "198.51.100.8");
    assertThat(other.statusCode()).isEqualTo(429);
    assertThat(other.body()).contains("too many reports from 127.0.0.1");
  }

  @Test
  void answers503WhenStorageIsDown() throws Exception {
    URI uri = start(IngestTestAccess.storageDown(), 1 << 20, 0);
    HttpResponse<String> r = post(uri, "application/tlsrpt+json", sample("cry-inc__google.json"));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("60");
    assertThat(receiver.responses(503)).isEqualTo(1);
  }
}

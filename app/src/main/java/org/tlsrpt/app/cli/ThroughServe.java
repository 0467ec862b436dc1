package org.tlsrpt.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.app.serve.SummaryJson;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.storage.Summaries;

/**
 * While {@code tlsrpt serve} owns an embedded store, commands that only read ask its HTTP API
 * instead of opening the store (which one process owns at a time).
 */
final class ThroughServe {
  private ThroughServe() {}

  /**
   * The summary from a running serve on this data directory, or null when none answers (then the
   * caller opens the store itself).
   */
  static Summaries.Summary summary(
      StorageSettings storage, String since, String domain, String by, PrintWriter err) {
    String body =
        get(
            storage,
            "/api/summary?since="
                + enc(since)
                + "&by="
                + enc(by)
                + (domain == null ? "" : "&domain=" + enc(domain)),
            err);
    return body == null ? null : SummaryJson.parse(body);
  }

  /**
   * The body of {@code /api/readiness} from a running serve on this data directory, for one domain
   * or (null) every domain, or null when none answers.
   */
  static String readiness(StorageSettings storage, String since, String domain, PrintWriter err) {
    return get(
        storage,
        "/api/readiness?since=" + enc(since) + (domain == null ? "" : "&domain=" + enc(domain)),
        err);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The body of a 200 answer to {@code pathAndQuery}, or null when no serve answers so. */
  private static String get(StorageSettings storage, String pathAndQuery, PrintWriter err) {
    if (!storage.embedded()) {
      return null; // a server takes any number of clients
    }
    Path dir = storage.dataDir();
    Path file = dir.resolve(TlsrptServer.SERVE_FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(file));
      String url = n.path("url").asText() + pathAndQuery;
      HttpResponse<String> r =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      err.println(
          "tlsrpt: "
              + dir
              + " belongs to tlsrpt serve (pid "
              + n.path("pid").asText()
              + "); asked its API");
      return r.body();
    } catch (IOException e) {
      return null; // a file left by a serve that died: open the store (its lock tells the truth)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}

package org.tlsrpt.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tlsrpt.readiness.Readiness;
import org.tlsrpt.storage.DashboardQueries;

/**
 * The built-in web dashboard: the page at {@code /} and {@code /dashboard}, its script and style
 * under {@code /dashboard/}, ECharts from its webjar under {@code /webjars/}, and the JSON it reads
 * under {@code /api/} ({@link DashboardApi}). Plain files from the jar: nothing is built or fetched
 * at run time.
 */
public final class WebDashboard {
  private static final String PAGE_DIR = "org/tlsrpt/web/";
  private static final String WEBJARS = "META-INF/resources/webjars/";
  private static final Pattern ASSET = Pattern.compile("[a-z0-9-]+\\.(js|css|svg|png)");
  private static final Pattern WEBJAR_PATH =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

  /** The page: scripts and styles only from this server; ECharts' tooltips set inline styles. */
  private static final String PAGE_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private final DashboardApi api;
  private final ClasspathFiles files = new ClasspathFiles();

  /**
   * @param queries the store's queries, or null when this process keeps no store (the page is still
   *     served; its data requests answer 503 with {@code noStore})
   * @param readiness the enforce readiness of the store's domains, or null without a store
   */
  public WebDashboard(DashboardQueries queries, Readiness readiness, String noStore) {
    this.api = new DashboardApi(queries, readiness, noStore);
  }

  /** What the data requests answer when this process keeps no store. */
  public static final String NO_STORE =
      "this process keeps no store: in the Kafka pipeline with the embedded engine, the worker"
          + " that owns the store serves the dashboard (worker.listen)";

  /** Adds the page, its files and the JSON endpoints to {@code server}. */
  public void register(HttpServer server) {
    server.createContext("/", this::root);
    server.createContext("/dashboard", this::dashboard);
    server.createContext("/webjars/", this::webjar);
    api.handlers().forEach(server::createContext);
  }

  private void root(HttpExchange x) throws IOException {
    try (x) {
      if (!x.getRequestURI().getPath().equals("/")) {
        plain(x, 404, "not found\n");
      } else if (readOnly(x)) {
        page(x);
      }
    }
  }

  private void dashboard(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      if (!readOnly(x)) {
        return;
      }
      if (path.equals("/dashboard") || path.equals("/dashboard/")) {
        page(x);
        return;
      }
      String name = path.startsWith("/dashboard/") ? path.substring("/dashboard/".length()) : "";
      Optional<ClasspathFiles.File> f =
          ASSET.matcher(name).matches() ? files.find(PAGE_DIR + name) : Optional.empty();
      if (f.isEmpty()) {
        plain(x, 404, "not found\n");
        return;
      }
      // the page's own files change with the version: the browser asks again, cheaply (ETag)
      ClasspathFiles.send(x, f.get(), "no-cache");
    }
  }

  private void webjar(HttpExchange x) throws IOException {
    try (x) {
      if (!readOnly(x)) {
        return;
      }
      String rest = x.getRequestURI().getPath().substring("/webjars/".length());
      Optional<ClasspathFiles.File> f =
          WEBJAR_PATH.matcher(rest).matches() && !rest.contains("..")
              ? files.find(WEBJARS + rest)
              : Optional.empty();
      if (f.isEmpty()) {
        plain(x, 404, "not found\n");
        return;
      }
      // a webjar path names its version: the file never changes
      ClasspathFiles.send(x, f.get(), "public, max-age=31536000, immutable");
    }
  }

  private void page(HttpExchange x) throws IOException {
    ClasspathFiles.File f =
        files
            .find(PAGE_DIR + "index.html")
            .orElseThrow(() -> new IllegalStateException("the dashboard page is missing"));
    x.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
    x.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    ClasspathFiles.send(x, f, "no-cache");
  }

  /** True for GET and HEAD; answers 405 otherwise. */
  private static boolean readOnly(HttpExchange x) throws IOException {
    String m = x.getRequestMethod();
    if (m.equals("GET") || m.equals("HEAD")) {
      return true;
    }
    x.getResponseHeaders().set("Allow", "GET, HEAD");
    plain(x, 405, "use GET\n");
    return false;
  }

  private static void plain(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(status, head ? -1 : b.length);
    if (!head) {
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      }
    }
  }
}

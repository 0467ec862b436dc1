package org.tlsrpt.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Files served from the class path (the dashboard's page, script and style; ECharts from its
 * webjar): the content type from the extension, an ETag, gzip for text when the client takes it,
 * and the caching the caller chooses. Files read are kept in memory up to a bound.
 */
final class ClasspathFiles {
  /** Bytes of files kept in memory at most; later files are read again on every request. */
  private static final long MAX_CACHED_BYTES = 16L << 20;

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/plain; charset=utf-8"));

  /** A file ready to send. */
  record File(byte[] bytes, byte[] gzipped, String type, String etag) {}

  private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();
  private final AtomicLong cached = new AtomicLong();

  /** The file at this class-path location (no leading slash), if there is one. */
  Optional<File> find(String location) {
    Optional<File> hit = cache.get(location);
    if (hit != null) {
      return hit;
    }
    Optional<File> f = load(location);
    long size = f.map(x -> (long) x.bytes().length + x.gzipped().length).orElse(0L);
    if (cached.addAndGet(size) <= MAX_CACHED_BYTES) {
      cache.putIfAbsent(location, f);
    } else {
      cached.addAndGet(-size);
    }
    return f;
  }

  private static Optional<File> load(String location) {
    try (InputStream in = ClasspathFiles.class.getClassLoader().getResourceAsStream(location)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String type = type(location);
      boolean text = type.startsWith("text/") || type.contains("json") || type.contains("svg");
      byte[] gz = text && bytes.length > 1024 ? gzip(bytes) : new byte[0];
      return Optional.of(new File(bytes, gz, type, etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String type(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (ext.isEmpty() || name.endsWith("LICENSE") || name.endsWith("NOTICE")) {
      return "text/plain; charset=utf-8";
    }
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  /**
   * Answers a GET or HEAD with the file: 304 when the client's copy is current, gzip when it
   * accepts it.
   */
  static void send(HttpExchange x, File f, String cacheControl) throws IOException {
    var h = x.getResponseHeaders();
    h.set("Content-Type", f.type());
    h.set("Cache-Control", cacheControl);
    h.set("ETag", f.etag());
    h.set("X-Content-Type-Options", "nosniff");
    boolean gz = f.gzipped().length > 0;
    if (gz) {
      h.set("Vary", "Accept-Encoding");
    }
    String match = x.getRequestHeaders().getFirst("If-None-Match");
    if (match != null && (match.contains(f.etag()) || match.trim().equals("*"))) {
      x.sendResponseHeaders(304, -1);
      return;
    }
    String accept = x.getRequestHeaders().getFirst("Accept-Encoding");
    boolean useGzip = gz && accept != null && accept.toLowerCase(Locale.ROOT).contains("gzip");
    byte[] body = useGzip ? f.gzipped() : f.bytes();
    if (useGzip) {
      h.set("Content-Encoding", "gzip");
    }
    boolean head = x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(200, head ? -1 : body.length);
    if (!head) {
      try (OutputStream o = x.getResponseBody()) {
        o.write(body);
      }
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(data);
    }
    return out.toByteArray();
  }
}

package org.tlsrpt.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.ingest.Receipt;

/**
 * The HTTPS receiver of RFC 8460 §3: a POST of {@code application/tlsrpt+gzip} or {@code
 * application/tlsrpt+json}. 201 once the report is durably stored; 400 with the reason for a bad
 * report (kept as rejected); 413 over the size limit; 415 for another content type; 429 over the
 * per-client rate; 503 when storage is down. Reports that arrive this way are unauthenticated.
 */
public final class ReportReceiver implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ReportReceiver.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final Intake intake;
  private final long maxBodyBytes;
  private final RateLimiter limiter;
  private final TrustedProxies proxies;
  private final AtomicLong[] byStatus = new AtomicLong[600];

  /**
   * @param maxBodyBytes larger bodies get 413 without being stored
   * @param ratePerMinute requests per client address a minute (0: no limit)
   */
  public ReportReceiver(Intake intake, long maxBodyBytes, int ratePerMinute) {
    this(intake, maxBodyBytes, ratePerMinute, TrustedProxies.NONE);
  }

  /**
   * @param maxBodyBytes larger bodies get 413 without being stored
   * @param ratePerMinute requests per client address a minute (0: no limit)
   * @param proxies the peers whose {@code X-Forwarded-For} names the client
   */
  public ReportReceiver(
      Intake intake, long maxBodyBytes, int ratePerMinute, TrustedProxies proxies) {
    this.proxies = proxies;
    this.intake = intake;
    this.maxBodyBytes = maxBodyBytes;
    this.limiter = new RateLimiter(ratePerMinute);
    for (int i = 0; i < byStatus.length; i++) {
      byStatus[i] = new AtomicLong();
    }
  }

  /** Responses sent with this status so far. */
  public long responses(int status) {
    return byStatus[status].get();
  }

  @Override
  public void handle(HttpExchange x) throws IOException {
    try (x) {
      if (!"POST".equals(x.getRequestMethod())) {
        x.getResponseHeaders().set("Allow", "POST");
        reply(x, 405, "error", "method_not_allowed", "POST a report here");
        return;
      }
      String peer = x.getRemoteAddress().getAddress().getHostAddress();
      String client =
          proxies.client(
              x.getRemoteAddress().getAddress(), x.getRequestHeaders().get("X-Forwarded-For"));
      if (!limiter.tryAcquire(client)) {
        x.getResponseHeaders().set("Retry-After", Long.toString(limiter.retryAfterSeconds()));
        reply(x, 429, "error", "rate_limited", "too many reports from " + client + ", slow down");
        return;
      }
      String type = x.getRequestHeaders().getFirst("Content-Type");
      String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!media.equals("application/tlsrpt+gzip") && !media.equals("application/tlsrpt+json")) {
        reply(
            x,
            415,
            "error",
            "unsupported_media_type",
            "Content-Type must be application/tlsrpt+gzip or application/tlsrpt+json (RFC 8460),"
                + " not '"
                + (type == null ? "" : type)
                + "'");
        return;
      }
      String length = x.getRequestHeaders().getFirst("Content-Length");
      if (length != null && parseLong(length) > maxBodyBytes) {
        reply(x, 413, "error", "too_large", "the limit is " + maxBodyBytes + " bytes");
        return;
      }
      byte[] body = readAtMost(x.getRequestBody(), maxBodyBytes);
      if (body == null) {
        reply(x, 413, "error", "too_large", "the limit is " + maxBodyBytes + " bytes");
        return;
      }
      Receipt r =
          intake.accept(
              Envelope.https(
                  body,
                  type,
                  client.equals(peer)
                      ? java.util.Map.of("client", client)
                      : java.util.Map.of("client", client, "proxy", peer)));
      switch (r) {
        case Receipt.TryLater later -> {
          LOG.warn("HTTPS: answered 503, {}", later.reason());
          x.getResponseHeaders().set("Retry-After", "60");
          reply(x, 503, "error", "unavailable", "cannot store the report now, try again later");
        }
        case Receipt.Rejected rejected ->
            reply(
                x, 400, "rejected", rejected.outcome().code().wire(), rejected.outcome().detail());
        case Receipt.Stored s -> reply(x, 201, "accepted", null, "report stored");
        case Receipt.Duplicate d ->
            reply(x, 201, "accepted", null, "report stored already (a re-delivery: counted once)");
        case Receipt.Quarantined q -> reply(x, 201, "accepted", null, "report stored");
      }
    }
  }

  private void reply(HttpExchange x, int status, String outcome, String code, String message)
      throws IOException {
    byStatus[status].incrementAndGet();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(json)) {
      g.writeStartObject();
      g.writeStringField("status", outcome);
      if (code != null) {
        g.writeStringField("code", code);
      }
      g.writeStringField("message", message == null ? "" : message);
      g.writeEndObject();
    }
    json.write('\n');
    byte[] out = json.toByteArray();
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, out.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(out);
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The body, or null when it holds more than {@code max} bytes. */
  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    if (b.length > max) {
      in.transferTo(OutputStream.nullOutputStream());
      return null;
    }
    return b;
  }
}

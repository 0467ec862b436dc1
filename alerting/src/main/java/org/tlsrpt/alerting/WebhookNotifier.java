package org.tlsrpt.alerting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.tlsrpt.storage.Alert;

/**
 * POSTs alerts as JSON: every field of the alert ({@code json}), or a Slack-compatible body with a
 * readable text ({@code slack}, which Mattermost and Rocket.Chat incoming webhooks take too).
 */
public final class WebhookNotifier implements Notifier {
  private static final JsonFactory JSON = new JsonFactory();

  private final URI url;
  private final boolean slack;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public WebhookNotifier(URI url, String format) {
    this.url = url;
    this.slack =
        switch (format) {
          case "slack" -> true;
          case "json" -> false;
          default ->
              throw new IllegalArgumentException(
                  "alerts.webhook_format is json or slack, not '" + format + "'");
        };
  }

  @Override
  public String name() {
    return slack ? "slack" : "webhook";
  }

  @Override
  public void send(Alert a) throws IOException, InterruptedException {
    String body = slack ? slackBody(a) : json(a);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("User-Agent", "tlsrpt-alerts")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("the webhook answered " + r.statusCode());
    }
  }

  /** The generic JSON body. */
  static String json(Alert a) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("rule", text(a.rule()));
          g.writeStringField("key", text(a.key()));
          g.writeStringField("policy_domain", text(a.policyDomain()));
          g.writeStringField("organization", text(a.organization()));
          g.writeStringField("mode", text(a.mode()));
          g.writeNumberField("failed_sessions", a.failedSessions());
          strings(g, "result_types", a.resultTypes());
          strings(g, "mx_hosts", a.mxHosts());
          g.writeStringField("window_start", a.windowStart().toString());
          g.writeStringField("window_end", a.windowEnd().toString());
          g.writeStringField("message", text(a.message()));
          g.writeStringField("link", text(a.link()));
          g.writeEndObject();
        });
  }

  static String slackBody(Alert a) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("text", AlertText.plain(a));
          g.writeEndObject();
        });
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Body body) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  private static void strings(JsonGenerator g, String field, List<String> xs) throws IOException {
    g.writeArrayFieldStart(field);
    for (String x : xs) {
      g.writeString(x);
    }
    g.writeEndArray();
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}

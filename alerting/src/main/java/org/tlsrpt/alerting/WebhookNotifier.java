package org.tlsrpt.alerting;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.tlsrpt.ingest.http.JsonText;

/**
 * POSTs alerts as JSON: every field of the alert ({@code json}), or a Slack-compatible body with a
 * readable text ({@code slack}, which Mattermost and Rocket.Chat incoming webhooks take too).
 */
public final class WebhookNotifier implements Notifier {
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
    return "{\"rule\":"
        + str(a.rule().wire())
        + ",\"key\":"
        + str(a.key())
        + ",\"policy_domain\":"
        + str(a.policyDomain())
        + ",\"organization\":"
        + str(a.organization())
        + ",\"mode\":"
        + str(a.mode())
        + ",\"failed_sessions\":"
        + a.failedSessions()
        + ",\"result_types\":"
        + array(a.resultTypes())
        + ",\"mx_hosts\":"
        + array(a.mxHosts())
        + ",\"window_start\":"
        + str(a.windowStart().toString())
        + ",\"window_end\":"
        + str(a.windowEnd().toString())
        + ",\"message\":"
        + str(a.message())
        + ",\"link\":"
        + str(a.link())
        + "}";
  }

  static String slackBody(Alert a) {
    return "{\"text\":" + str(AlertText.plain(a)) + "}";
  }

  private static String str(String s) {
    return "\"" + JsonText.escape(s == null ? "" : s) + "\"";
  }

  private static String array(java.util.List<String> xs) {
    StringBuilder b = new StringBuilder("[");
    for (String x : xs) {
      b.append(b.length() > 1 ? "," : "").append(str(x));
    }
    return b.append(']').toString();
  }
}

package org.tlsrpt.ingest.imap.oauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An OAuth2 token endpoint (RFC 6749 section 3.2): one form POST per token, the answer's {@code
 * access_token} and {@code expires_in} read; a refusal becomes an {@link OAuthException} naming the
 * endpoint, the HTTP status and the provider's {@code error} and {@code error_description}.
 */
public final class TokenEndpoint {
  /** The largest answer read: tokens are a few KiB. */
  private static final int MAX_REPLY_BYTES = 256 * 1024;

  /** The longest provider text kept in a message. */
  private static final int MAX_DESCRIPTION = 400;

  /** Lifetime assumed when the answer has no {@code expires_in} (RFC 6749 makes it optional). */
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  private static final JsonFactory JSON = new JsonFactory();

  private final URI url;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  public TokenEndpoint(URI url, Duration timeout, Clock clock) {
    this.url = url;
    this.timeout = timeout;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public URI url() {
    return url;
  }

  /**
   * Asks for a new access token.
   *
   * @throws OAuthException the endpoint cannot be reached, refused or answered no token
   */
  public AccessToken fetch(OAuthGrant grant) {
    String body =
        grant.form(url, clock.instant()).entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<InputStream> response;
    Map<String, String> reply;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        reply = fields(in.readNBytes(MAX_REPLY_BYTES));
      }
    } catch (IOException e) {
      throw new OAuthException("the OAuth2 token endpoint " + url + " cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OAuthException("interrupted while asking " + url + " for a token", e);
    }
    String token = reply.get("access_token");
    if (response.statusCode() == 200 && token != null && !token.isBlank()) {
      return new AccessToken(token, clock.instant().plus(lifetime(reply.get("expires_in"))));
    }
    String error = reply.getOrDefault("error", "no access_token in the answer");
    String description = reply.getOrDefault("error_description", "");
    throw new OAuthException(
        "the OAuth2 token endpoint "
            + url
            + " refused "
            + grant
            + " (HTTP "
            + response.statusCode()
            + "): "
            + error
            + (description.isBlank() ? "" : ": " + shorten(description)));
  }

  private static Duration lifetime(String expiresIn) {
    if (expiresIn == null) {
      return DEFAULT_LIFETIME;
    }
    try {
      long s = Long.parseLong(expiresIn.trim());
      return s > 0 ? Duration.ofSeconds(s) : Duration.ZERO;
    } catch (NumberFormatException e) {
      return DEFAULT_LIFETIME;
    }
  }

  /** The top-level string and number fields of a JSON object; empty when it is none. */
  private static Map<String, String> fields(byte[] json) {
    Map<String, String> out = new HashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (v.isScalarValue()) {
          out.put(name, p.getText());
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException notJson) {
      // a proxy's HTML page, a truncated answer: what was read is what there is
    }
    return out;
  }

  private static String shorten(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= MAX_DESCRIPTION ? one : one.substring(0, MAX_DESCRIPTION) + "...";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

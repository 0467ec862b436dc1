package org.tlsrpt.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth2 identity provider on loopback for tests, on the JDK's HTTP server: a token endpoint
 * ({@code POST /token}, RFC 6749) that checks what it receives as Microsoft's and Google's do (the
 * grant type, the client id and secret, the scope, the refresh token, or the RS256 signature and
 * claims of a JWT assertion against a key made by the test) and issues opaque tokens; and an
 * introspection endpoint ({@code POST /introspect}, RFC 7662) that Dovecot's oauth2 passdb asks
 * whether a token is active and whose it is.
 *
 * <p>The test decides the tokens' fate: {@link #expireIssued} makes every token issued so far
 * inactive (as a token past its lifetime), {@link #revokeAccess} every token, issued or still to
 * come (as when the application loses its mailbox permission), {@link #refuseGrants} makes the
 * token endpoint refuse with {@code invalid_grant}.
 */
public final class LocalOAuthServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String username;
  private final Map<String, Boolean> active = new ConcurrentHashMap<>();
  private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final AtomicInteger introspections = new AtomicInteger();
  private final AtomicInteger issued = new AtomicInteger();
  private volatile Client client;
  private volatile String scope;
  private volatile long expiresIn = 3600;
  private volatile boolean revoked;
  private volatile boolean refuseGrants;

  /** What the token endpoint accepts: one client, set by one of the {@code accept} methods. */
  private sealed interface Client {}

  private record Secret(String clientId, String secret) implements Client {}

  private record Certificate(String clientId, X509Certificate cert) implements Client {}

  private record Refresh(String clientId, String secret, String refreshToken) implements Client {}

  private record ServiceAccount(String email, PublicKey key, String subject) implements Client {}

  private LocalOAuthServer(HttpServer server, String username) {
    this.server = server;
    this.username = username;
  }

  /**
   * Starts both endpoints on 127.0.0.1.
   *
   * @param username the mailbox user the tokens are for, as introspection answers it
   */
  public static LocalOAuthServer start(String username) throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LocalOAuthServer s = new LocalOAuthServer(http, username);
    http.createContext("/token", s::token);
    http.createContext("/introspect", s::introspect);
    http.start();
    return s;
  }

  public URI tokenUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  public URI introspectionUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect");
  }

  /** The client-credentials grant with a client secret (Microsoft 365). */
  public LocalOAuthServer acceptClientSecret(String clientId, String secret, String scope) {
    this.client = new Secret(clientId, secret);
    this.scope = scope;
    return this;
  }

  /** The client-credentials grant with a JWT client assertion signed for this certificate. */
  public LocalOAuthServer acceptClientCertificate(
      String clientId, X509Certificate cert, String scope) {
    this.client = new Certificate(clientId, cert);
    this.scope = scope;
    return this;
  }

  /** The refresh-token grant (Google). */
  public LocalOAuthServer acceptRefreshToken(String clientId, String secret, String refreshToken) {
    this.client = new Refresh(clientId, secret, refreshToken);
    this.scope = null;
    return this;
  }

  /** The JWT bearer grant of a service account acting as {@code subject} (Google). */
  public LocalOAuthServer acceptServiceAccount(
      String email, PublicKey key, String subject, String scope) {
    this.client = new ServiceAccount(email, key, subject);
    this.scope = scope;
    return this;
  }

  /** The {@code expires_in} of tokens issued from now on. */
  public LocalOAuthServer expiresIn(long seconds) {
    this.expiresIn = seconds;
    return this;
  }

  /** Every token issued so far is no longer active, as after its lifetime. */
  public void expireIssued() {
    active.replaceAll((token, ok) -> false);
  }

  /** No token is active any more, nor will one be: the mailbox access was taken away. */
  public void revokeAccess() {
    revoked = true;
  }

  /** Tokens work again. */
  public void restoreAccess() {
    revoked = false;
  }

  /** The token endpoint answers {@code invalid_grant} from now on (a revoked refresh token). */
  public void refuseGrants() {
    refuseGrants = true;
  }

  /** The form fields of every token request, in order (secrets included: for assertions only). */
  public List<Map<String, String>> tokenRequests() {
    return List.copyOf(tokenRequests);
  }

  /** Why token requests were refused, in order. */
  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  /** Tokens issued so far. */
  public Set<String> issuedTokens() {
    return Set.copyOf(active.keySet());
  }

  /** How often the introspection endpoint was asked. */
  public int introspections() {
    return introspections.get();
  }

  private void token(HttpExchange x) throws IOException {
    try (x) {
      Map<String, String> form = form(x);
      tokenRequests.add(form);
      String refusal = check(form);
      if (refusal != null) {
        refusals.add(refusal);
        String code = refusal.startsWith("invalid_client") ? "invalid_client" : "invalid_grant";
        send(x, 400, Map.of("error", code, "error_description", refusal));
        return;
      }
      String token = "test-access-token-" + issued.incrementAndGet() + "-" + System.nanoTime();
      active.put(token, true);
      send(x, 200, Map.of("access_token", token, "token_type", "Bearer", "expires_in", expiresIn));
    }
  }

  /** Null when the request is what the configured client would send; else why not. */
  private String check(Map<String, String> f) {
    if (refuseGrants) {
      return "invalid_grant: the grant was revoked";
    }
    String grant = f.getOrDefault("grant_type", "");
    return switch (client) {
      case null -> "invalid_client: no client configured";
      case Secret s ->
          !grant.equals("client_credentials")
              ? "unsupported grant_type " + grant
              : !s.clientId().equals(f.get("client_id"))
                      || !s.secret().equals(f.get("client_secret"))
                  ? "invalid_client: wrong client id or secret"
                  : scopeProblem(f.get("scope"));
      case Certificate c ->
          !grant.equals("client_credentials")
              ? "unsupported grant_type " + grant
              : !c.clientId().equals(f.get("client_id"))
                  ? "invalid_client: wrong client id"
                  : !"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                          .equals(f.get("client_assertion_type"))
                      ? "invalid_client: no JWT client assertion"
                      : firstProblem(
                          scopeProblem(f.get("scope")),
                          jwtProblem(
                              f.get("client_assertion"),
                              c.cert().getPublicKey(),
                              Map.of("iss", c.clientId(), "sub", c.clientId()),
                              thumbprint(c.cert())));
      case Refresh r ->
          !grant.equals("refresh_token")
              ? "unsupported grant_type " + grant
              : !r.clientId().equals(f.get("client_id"))
                      || !r.secret().equals(f.getOrDefault("client_secret", ""))
                  ? "invalid_client: wrong client id or secret"
                  : !r.refreshToken().equals(f.get("refresh_token"))
                      ? "invalid_grant: unknown refresh token"
                      : null;
      case ServiceAccount a ->
          !grant.equals("urn:ietf:params:oauth:grant-type:jwt-bearer")
              ? "unsupported grant_type " + grant
              : jwtProblem(
                  f.get("assertion"),
                  a.key(),
                  Map.of("iss", a.email(), "sub", a.subject(), "scope", scope),
                  null);
    };
  }

  private String scopeProblem(String given) {
    return scope == null || scope.equals(given) ? null : "invalid_scope: " + given;
  }

  private static String firstProblem(String a, String b) {
    return a != null ? a : b;
  }

  /** Checks an RS256 JWT: signature, the wanted claims, aud = this endpoint, exp ahead. */
  private String jwtProblem(
      String jwt, PublicKey key, Map<String, String> claims, String wantedThumbprint) {
    if (jwt == null) {
      return "invalid_grant: no assertion";
    }
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return "invalid_grant: the assertion is not a signed JWT";
    }
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(b64.decode(parts[0]));
      JsonNode body = JSON.readTree(b64.decode(parts[1]));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!"RS256".equals(header.path("alg").asText()) || !rsa.verify(b64.decode(parts[2]))) {
        return "invalid_grant: the assertion's signature does not verify";
      }
      if (wantedThumbprint != null && !wantedThumbprint.equals(header.path("x5t").asText())) {
        return "invalid_client: the assertion names another certificate (x5t)";
      }
      for (Map.Entry<String, String> c : claims.entrySet()) {
        if (!c.getValue().equals(body.path(c.getKey()).asText())) {
          return "invalid_grant: claim " + c.getKey() + " is " + body.path(c.getKey());
        }
      }
      if (!tokenUrl().toString().equals(body.path("aud").asText())) {
        return "invalid_grant: aud is " + body.path("aud");
      }
      if (body.path("exp").asLong() <= Instant.now().getEpochSecond()) {
        return "invalid_grant: the assertion has expired";
      }
      return null;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return "invalid_grant: the assertion cannot be read: " + e.getMessage();
    }
  }

  private static String thumbprint(X509Certificate cert) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void introspect(HttpExchange x) throws IOException {
    try (x) {
      introspections.incrementAndGet();
      String token = form(x).getOrDefault("token", "");
      if (!revoked && Boolean.TRUE.equals(active.get(token))) {
        send(x, 200, Map.of("active", true, "username", username, "scope", "IMAP"));
      } else {
        send(x, 200, Map.of("active", false));
      }
    }
  }

  private static Map<String, String> form(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void send(HttpExchange x, int status, Map<String, ?> fields) throws IOException {
    byte[] b = JSON.writeValueAsBytes(fields);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  /** Stops both endpoints: from now on their port refuses connections. */
  @Override
  public void close() {
    server.stop(0);
  }
}

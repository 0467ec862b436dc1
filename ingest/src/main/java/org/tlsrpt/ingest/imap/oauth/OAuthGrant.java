package org.tlsrpt.ingest.imap.oauth;

import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the poller presents to the token endpoint to get an access token: one record per grant. Each
 * {@code toString} names the grant and the client, never the secret, refresh token or key.
 */
public sealed interface OAuthGrant {
  /** The assertion type of a JWT client assertion (RFC 7523 section 2.2). */
  String CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  /** The grant type of a JWT bearer grant (RFC 7523 section 2.1). */
  String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  /** How long a signed assertion is valid. */
  long ASSERTION_SECONDS = 600;

  /** The form fields of the token request. */
  Map<String, String> form(URI tokenUrl, Instant now);

  /**
   * The client-credentials grant with a client secret (Microsoft 365: an app registration with the
   * IMAP.AccessAsApp application permission).
   */
  record ClientSecret(String clientId, String secret, String scope) implements OAuthGrant {
    public ClientSecret {
      requireText("client id", clientId);
      requireText("client secret", secret);
      requireText("scope", scope);
    }

    @Override
    public Map<String, String> form(URI tokenUrl, Instant now) {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("grant_type", "client_credentials");
      f.put("client_id", clientId);
      f.put("client_secret", secret);
      f.put("scope", scope);
      return f;
    }

    @Override
    public String toString() {
      return "client credentials (client " + clientId + ", secret)";
    }
  }

  /**
   * The client-credentials grant with a certificate: a JWT client assertion signed with its private
   * key, carrying the certificate's SHA-1 thumbprint ({@code x5t}) by which Microsoft finds it.
   */
  record ClientCertificate(
      String clientId, PrivateKey key, X509Certificate certificate, String scope)
      implements OAuthGrant {
    public ClientCertificate {
      requireText("client id", clientId);
      Objects.requireNonNull(key, "private key");
      Objects.requireNonNull(certificate, "certificate");
      requireText("scope", scope);
    }

    @Override
    public Map<String, String> form(URI tokenUrl, Instant now) {
      long t = now.getEpochSecond();
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("aud", tokenUrl.toString());
      claims.put("iss", clientId);
      claims.put("sub", clientId);
      claims.put("jti", UUID.randomUUID().toString());
      claims.put("iat", t);
      claims.put("nbf", t);
      claims.put("exp", t + ASSERTION_SECONDS);
      Map<String, String> f = new LinkedHashMap<>();
      f.put("grant_type", "client_credentials");
      f.put("client_id", clientId);
      f.put("scope", scope);
      f.put("client_assertion_type", CLIENT_ASSERTION_TYPE);
      f.put(
          "client_assertion",
          JwtAssertion.sign(Map.of("x5t", KeyFiles.thumbprint(certificate)), claims, key));
      return f;
    }

    @Override
    public String toString() {
      return "client credentials (client " + clientId + ", certificate)";
    }
  }

  /**
   * The refresh-token grant (Google: a refresh token for the mailbox user, obtained once with the
   * scope {@code https://mail.google.com/}); the client secret may be empty for a public client.
   */
  record RefreshToken(String clientId, String clientSecret, String refreshToken)
      implements OAuthGrant {
    public RefreshToken {
      requireText("client id", clientId);
      Objects.requireNonNull(clientSecret, "client secret");
      requireText("refresh token", refreshToken);
    }

    @Override
    public Map<String, String> form(URI tokenUrl, Instant now) {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("grant_type", "refresh_token");
      f.put("refresh_token", refreshToken);
      f.put("client_id", clientId);
      if (!clientSecret.isEmpty()) {
        f.put("client_secret", clientSecret);
      }
      return f;
    }

    @Override
    public String toString() {
      return "refresh token (client " + clientId + ")";
    }
  }

  /**
   * A Google service account with domain-wide delegation: a JWT bearer grant signed with its key,
   * asking for a token that acts as {@code subject} (the mailbox user).
   *
   * @param keyId the key's id ({@code private_key_id} of the key file), or empty
   */
  record ServiceAccount(String email, PrivateKey key, String keyId, String subject, String scope)
      implements OAuthGrant {
    public ServiceAccount {
      requireText("service account e-mail", email);
      Objects.requireNonNull(key, "private key");
      Objects.requireNonNull(keyId, "key id");
      requireText("subject", subject);
      requireText("scope", scope);
    }

    @Override
    public Map<String, String> form(URI tokenUrl, Instant now) {
      long t = now.getEpochSecond();
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("iss", email);
      claims.put("sub", subject);
      claims.put("scope", scope);
      claims.put("aud", tokenUrl.toString());
      claims.put("iat", t);
      claims.put("exp", t + ASSERTION_SECONDS);
      Map<String, String> f = new LinkedHashMap<>();
      f.put("grant_type", JWT_BEARER);
      f.put(
          "assertion",
          JwtAssertion.sign(keyId.isEmpty() ? Map.of() : Map.of("kid", keyId), claims, key));
      return f;
    }

    @Override
    public String toString() {
      return "service account " + email + " acting as " + subject;
    }
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("OAuth2 " + name + " must not be empty");
    }
  }
}

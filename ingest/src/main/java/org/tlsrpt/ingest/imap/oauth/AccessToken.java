package org.tlsrpt.ingest.imap.oauth;

import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth2 access token and when it expires.
 *
 * @param value the bearer token (secret: {@link #toString} leaves it out)
 * @param expiresAt when the token endpoint said it stops being valid
 */
public record AccessToken(String value, Instant expiresAt) {
  public AccessToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "AccessToken[expires " + expiresAt + "]";
  }
}

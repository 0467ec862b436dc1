package org.tlsrpt.ingest.imap.oauth;

/**
 * No access token could be had: the token endpoint is unreachable, refused the request (its {@code
 * error} and {@code error_description} are in the message), or answered something that is no token.
 * The message names the endpoint and never holds a token, secret or key.
 */
public final class OAuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OAuthException(String message) {
    super(message);
  }

  public OAuthException(String message, Throwable cause) {
    super(message, cause);
  }
}

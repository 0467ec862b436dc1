package org.tlsrpt.ingest.imap.oauth;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access token the poller logs in with, fetched when first needed and again a margin before it
 * expires, so that a login never presents a token about to lapse (when that renewal fails, the
 * token is used until it expires, and renewal tried at each login). A token the server refused is
 * dropped ({@link #invalidate}) and the next one fetched at once. Used by the poller's thread.
 */
public final class OAuthTokens {
  private static final Logger log = LoggerFactory.getLogger(OAuthTokens.class);

  private final Supplier<AccessToken> fetch;
  private final String source;
  private final Duration margin;
  private final Clock clock;
  private AccessToken current;

  /**
   * @param margin how long before its expiry a token is renewed
   */
  public OAuthTokens(TokenEndpoint endpoint, OAuthGrant grant, Duration margin, Clock clock) {
    this(() -> endpoint.fetch(grant), grant + " at " + endpoint.url(), margin, clock);
  }

  /**
   * @param fetch gets a new token, or throws {@link OAuthException}
   * @param source where tokens come from, for messages (no secret)
   */
  OAuthTokens(Supplier<AccessToken> fetch, String source, Duration margin, Clock clock) {
    this.fetch = fetch;
    this.source = source;
    this.margin = margin;
    this.clock = clock;
  }

  /** Whether a token is held that is not due for renewal: {@link #token} will not fetch. */
  public synchronized boolean cached() {
    return current != null && clock.instant().isBefore(current.expiresAt().minus(margin));
  }

  /**
   * The held token, or a new one when none is held or it is due for renewal.
   *
   * @throws OAuthException no token could be had
   */
  public synchronized AccessToken token() {
    if (!cached()) {
      try {
        current = fetch.get();
      } catch (OAuthException e) {
        if (current == null || !clock.instant().isBefore(current.expiresAt())) {
          current = null;
          throw e;
        }
        // due for renewal but still valid: log in with it, and try again next time
        log.warn(
            "could not renew the OAuth2 token before it expires ({}): {}", current, e.getMessage());
      }
    }
    return current;
  }

  /** Drops the held token (the server refused it): the next {@link #token} fetches one. */
  public synchronized void invalidate() {
    current = null;
  }

  /** Where tokens come from, for messages: the endpoint and the grant, no secret. */
  public String describe() {
    return source;
  }
}

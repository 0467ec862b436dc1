package org.tlsrpt.ingest.imap.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the IMAP poller gets its access tokens.
 *
 * @param tokenUrl the token endpoint (http or https)
 * @param grant what is presented there
 * @param refreshMargin how long before its expiry a token is renewed
 */
public record OAuthSettings(URI tokenUrl, OAuthGrant grant, Duration refreshMargin) {
  public OAuthSettings {
    Objects.requireNonNull(tokenUrl, "token URL");
    String scheme =
        tokenUrl.getScheme() == null ? "" : tokenUrl.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || tokenUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "the OAuth2 token URL must be an http(s) URL, got '" + tokenUrl + "'");
    }
    Objects.requireNonNull(grant, "grant");
    if (refreshMargin == null || refreshMargin.isNegative()) {
      throw new IllegalArgumentException(
          "the OAuth2 refresh margin must be zero or positive, got " + refreshMargin);
    }
  }

  /** Microsoft 365's token endpoint for a tenant (its id or a verified domain). */
  public static URI microsoftTokenUrl(String tenant) {
    return URI.create("https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token");
  }

  /** The scope of IMAP access to Exchange Online for an application (client credentials). */
  public static final String MICROSOFT_SCOPE = "https://outlook.office365.com/.default";

  /** Google's token endpoint. */
  public static final URI GOOGLE_TOKEN_URL = URI.create("https://oauth2.googleapis.com/token");

  /** The scope of IMAP access to Gmail. */
  public static final String GOOGLE_SCOPE = "https://mail.google.com/";
}

/**
 * OAuth2 access tokens for the IMAP poller's SASL XOAUTH2 login: the grants Microsoft 365 and
 * Google Workspace accept ({@link org.tlsrpt.ingest.imap.oauth.OAuthGrant}), the token endpoint
 * they are sent to ({@link org.tlsrpt.ingest.imap.oauth.TokenEndpoint}), and the cache that renews
 * a token before it expires ({@link org.tlsrpt.ingest.imap.oauth.OAuthTokens}). No token, secret or
 * key ever reaches a log line or a {@code toString}.
 */
package org.tlsrpt.ingest.imap.oauth;

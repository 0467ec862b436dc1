package org.tlsrpt.ingest.imap;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.imap.oauth.OAuthSettings;
import org.tlsrpt.ingest.imap.oauth.OAuthTokens;
import org.tlsrpt.ingest.imap.oauth.TokenEndpoint;

/**
 * Opens authenticated connections to the server as the settings say: IMAPS, required STARTTLS or
 * plain; the server's certificate checked against the configured trust store (or the JDK's) and its
 * name checked against the host name; connect and read timeouts on every socket.
 *
 * <p>With OAuth2 it logs in with SASL XOAUTH2 and an access token from {@link OAuthTokens}. When
 * the server refuses a token that was held from before (it expired early, or was revoked), the
 * token is dropped, a new one fetched and the login tried once more; a refused new token is a
 * {@link AuthenticationFailedException} that says what to check, and the poller backs off.
 */
final class ImapConnector {
  /** Bytes asked for per FETCH of a message body: fewer round trips than the default 16 KiB. */
  private static final int FETCH_BLOCK = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ImapConnector.class);

  private final ImapSettings settings;
  private final Session session;
  private final OAuthTokens tokens;

  /**
   * @throws IllegalArgumentException the trust store cannot be read
   */
  ImapConnector(ImapSettings settings) {
    this.settings = settings;
    this.session = Session.getInstance(properties(settings));
    OAuthSettings oauth = settings.oauth();
    this.tokens =
        oauth == null
            ? null
            : new OAuthTokens(
                new TokenEndpoint(oauth.tokenUrl(), settings.connectTimeout(), Clock.systemUTC()),
                oauth.grant(),
                oauth.refreshMargin(),
                Clock.systemUTC());
  }

  /**
   * Connects and logs in.
   *
   * @throws org.tlsrpt.ingest.imap.oauth.OAuthException no access token could be had
   */
  IMAPStore connect() throws MessagingException {
    if (tokens == null) {
      return login(settings.password());
    }
    boolean held = tokens.cached();
    try {
      return login(tokens.token().value());
    } catch (AuthenticationFailedException refused) {
      tokens.invalidate();
      if (!held) {
        throw refusedFresh(refused);
      }
      log.info(
          "imap login account={} refused the OAuth2 token held since before ({}); fetching a new"
              + " one",
          settings.account(),
          refused.getMessage());
    }
    try {
      return login(tokens.token().value());
    } catch (AuthenticationFailedException refused) {
      tokens.invalidate();
      throw refusedFresh(refused);
    }
  }

  private IMAPStore login(String secret) throws MessagingException {
    IMAPStore store = (IMAPStore) session.getStore(protocol(settings));
    store.connect(settings.host(), settings.port(), settings.user(), secret);
    return store;
  }

  private AuthenticationFailedException refusedFresh(AuthenticationFailedException e) {
    return new AuthenticationFailedException(
        "the IMAP server refused a new OAuth2 token for "
            + settings.user()
            + " ("
            + tokens.describe()
            + "; the server said: "
            + e.getMessage()
            + "): the token endpoint issues tokens, but the mailbox does not take them; check that"
            + " the token is for this mailbox and the application may use IMAP (docs/mailboxes.md)",
        e);
  }

  private static String protocol(ImapSettings s) {
    return s.security() == ImapSettings.Security.IMAPS ? "imaps" : "imap";
  }

  private static Properties properties(ImapSettings s) {
    String p = "mail." + protocol(s);
    Properties props = new Properties();
    props.put(p + ".connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
    props.put(p + ".timeout", String.valueOf(s.readTimeout().toMillis()));
    // read bodies with BODY.PEEK[]: exactly the stored bytes, and \Seen left alone
    props.put(p + ".peek", "true");
    props.put(p + ".fetchsize", String.valueOf(FETCH_BLOCK));
    if (s.oauth() != null) {
      // SASL XOAUTH2 only: the password given to connect() is the access token
      props.put(p + ".auth.mechanisms", "XOAUTH2");
      props.put(p + ".auth.xoauth2.disable", "false");
    }
    switch (s.security()) {
      case IMAPS -> props.put(p + ".ssl.enable", "true");
      case STARTTLS -> {
        props.put(p + ".starttls.enable", "true");
        props.put(p + ".starttls.required", "true");
      }
      case PLAIN -> {
        return props;
      }
    }
    props.put(p + ".ssl.checkserveridentity", "true");
    if (s.trustStore() != null) {
      props.put(p + ".ssl.socketFactory", socketFactory(s));
    }
    return props;
  }

  private static SSLSocketFactory socketFactory(ImapSettings s) {
    char[] pw = s.trustStorePassword() == null ? null : s.trustStorePassword().toCharArray();
    try {
      KeyStore trust = KeyStore.getInstance(s.trustStore().toFile(), pw);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      return tls.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the IMAP trust store " + s.trustStore() + " cannot be read: " + e.getMessage(), e);
    }
  }
}

package org.tlsrpt.ingest.imap;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * Opens authenticated connections to the server as the settings say: IMAPS, required STARTTLS or
 * plain; the server's certificate checked against the configured trust store (or the JDK's) and its
 * name checked against the host name; connect and read timeouts on every socket.
 */
final class ImapConnector {
  /** Bytes asked for per FETCH of a message body: fewer round trips than the default 16 KiB. */
  private static final int FETCH_BLOCK = 1024 * 1024;

  private final ImapSettings settings;
  private final Session session;

  /**
   * @throws IllegalArgumentException the trust store cannot be read
   */
  ImapConnector(ImapSettings settings) {
    this.settings = settings;
    this.session = Session.getInstance(properties(settings));
  }

  /** Connects and logs in. */
  IMAPStore connect() throws MessagingException {
    IMAPStore store = (IMAPStore) session.getStore(protocol(settings));
    store.connect(settings.host(), settings.port(), settings.user(), settings.password());
    return store;
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

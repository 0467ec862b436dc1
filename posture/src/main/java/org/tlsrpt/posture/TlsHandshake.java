package org.tlsrpt.posture;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * A TLS client handshake that accepts any certificate and keeps the chain the server sent, so that
 * trust, name and expiry can be judged separately afterwards by {@link CertificateChecks} (the
 * JDK's own checks stop at the first problem and use the system clock). Nothing is sent over the
 * connection before the caller has judged the chain.
 */
final class TlsHandshake {
  private TlsHandshake() {}

  /** The chain the server sent (leaf first) and what was negotiated. */
  record Peer(SSLSocket socket, List<X509Certificate> chain, String protocol, String cipher) {}

  /** Layers TLS over a connected socket, with SNI for {@code serverName}, and shakes hands. */
  static Peer over(Socket plain, String serverName) throws IOException {
    SSLContext ctx;
    try {
      ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new KeepingTrustManager()}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS client", e);
    }
    SSLSocket tls =
        (SSLSocket)
            ctx.getSocketFactory()
                .createSocket(plain, serverName, plain.getPort(), /* autoClose */ true);
    SSLParameters params = tls.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(serverName)));
    tls.setSSLParameters(params);
    tls.setUseClientMode(true);
    tls.startHandshake();
    SSLSession session = tls.getSession();
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate c : session.getPeerCertificates()) {
      if (c instanceof X509Certificate x) {
        chain.add(x);
      }
    }
    return new Peer(tls, List.copyOf(chain), session.getProtocol(), session.getCipherSuite());
  }
}

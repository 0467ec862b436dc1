package org.tlsrpt.app.check;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * A policy host for the tests: the JDK's HttpsServer on one loopback address, answering {@code
 * /.well-known/mta-sts.txt} per Host header with what each test domain should get.
 */
final class PolicyServer implements AutoCloseable {

  /** One answer: status, Content-Type (null for none), extra header, body. */
  record Answer(int status, String contentType, String location, byte[] body) {
    static Answer policy(String text) {
      return new Answer(200, "text/plain", null, text.getBytes(StandardCharsets.US_ASCII));
    }
  }

  private final HttpsServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  PolicyServer(String address, int port, SSLContext tls) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/",
        exchange -> {
          String host = exchange.getRequestHeaders().getFirst("Host");
          Answer a =
              host == null || !exchange.getRequestURI().getPath().equals("/.well-known/mta-sts.txt")
                  ? null
                  : answers.get(host.toLowerCase(Locale.ROOT));
          if (a == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          if (a.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", a.contentType());
          }
          if (a.location() != null) {
            exchange.getResponseHeaders().set("Location", a.location());
          }
          exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(a.body());
          }
        });
    server.start();
  }

  PolicyServer serve(String host, Answer answer) {
    answers.put(host, answer);
    return this;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

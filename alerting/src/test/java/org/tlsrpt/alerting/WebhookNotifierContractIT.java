package org.tlsrpt.alerting;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.tlsrpt.testkit.FreePorts;

/** The webhook channel (generic JSON) against a real HTTP receiver on loopback. */
class WebhookNotifierContractIT implements NotifierContract {
  private final List<String> posts = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        x -> {
          try (x;
              InputStream in = x.getRequestBody()) {
            posts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(204, -1);
          }
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  @Override
  public Notifier notifier() {
    return new WebhookNotifier(
        URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"), "json");
  }

  @Override
  public Notifier notifierToNowhere() throws Exception {
    int free = FreePorts.tcp(); // closed again: nothing listens there
    return new WebhookNotifier(URI.create("http://127.0.0.1:" + free + "/hook"), "json");
  }

  @Override
  public List<String> received() {
    return posts;
  }
}

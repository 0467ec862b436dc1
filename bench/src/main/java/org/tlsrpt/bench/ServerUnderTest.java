package org.tlsrpt.bench;

import java.time.Duration;
import org.tlsrpt.app.serve.TlsrptServer;

/** The {@code tlsrpt serve} that {@code bench serve} loads: in its own process or in this one. */
interface ServerUnderTest extends AutoCloseable {
  /** Waits until every input answered so far is in ClickHouse; false on timeout. */
  boolean awaitStored(Duration timeout) throws Exception;

  /** The CPU time the server has used so far, or null when it shares this process. */
  Duration cpu();

  /** What to print about where it serves. */
  String describe();

  @Override
  void close();

  /** A server started in this process. */
  static ServerUnderTest inThisProcess(TlsrptServer server) {
    return new ServerUnderTest() {
      @Override
      public boolean awaitStored(Duration timeout) throws InterruptedException {
        return server.awaitStored(timeout);
      }

      @Override
      public Duration cpu() {
        return null;
      }

      @Override
      public String describe() {
        return "in this process";
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }
}

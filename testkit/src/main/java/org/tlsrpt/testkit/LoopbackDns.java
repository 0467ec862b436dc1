package org.tlsrpt.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the DNS servers of the tests (dnsmasq, NSD) share: waiting for the first answer, stopping.
 */
final class LoopbackDns {
  private LoopbackDns() {}

  /**
   * Sends a bare query for {@code test./SOA} over UDP until the server answers anything (an answer,
   * NXDOMAIN or REFUSED all mean it is listening).
   */
  static void awaitAnswer(String name, Process process, int port, Path log, Duration within)
      throws IOException, InterruptedException {
    byte[] query = {0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 't', 'e', 's', 't', 0, 0, 6, 0, 1};
    long deadline = System.nanoTime() + within.toNanos();
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(200);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited: " + Files.readString(log));
        }
        s.send(
            new DatagramPacket(
                query,
                query.length,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        try {
          s.receive(new DatagramPacket(new byte[512], 512));
          return;
        } catch (SocketTimeoutException e) {
          Thread.sleep(50);
        }
      }
    }
    throw new IllegalStateException(
        name + " did not answer on 127.0.0.1:" + port + " within " + within.toSeconds() + " s");
  }
}

package org.tlsrpt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports with nothing on them now, for the servers a test starts. A port can be taken
 * between this answer and the server's bind; the tests start their servers at once after asking.
 */
public final class FreePorts {
  private FreePorts() {}

  /** A TCP port free on every address now. */
  public static int tcp() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port", e);
    }
  }

  /** {@code n} distinct TCP ports, held open together while they are chosen. */
  public static int[] tcp(int n) {
    ServerSocket[] held = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        held[i] = new ServerSocket(0);
        ports[i] = held[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no " + n + " free TCP ports", e);
    } finally {
      for (ServerSocket s : held) {
        if (s != null) {
          try {
            s.close();
          } catch (IOException e) {
            // closing a listening socket we own does not fail in practice; the port is free anyway
          }
        }
      }
    }
  }

  /** A loopback port free over UDP and TCP now (DNS servers listen on both). */
  public static int udpAndTcp() {
    for (int attempt = 0; ; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
          ServerSocket tcp =
              new ServerSocket(udp.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
        return tcp.getLocalPort();
      } catch (IOException e) {
        if (attempt == 20) {
          throw new UncheckedIOException("no loopback port free over UDP and TCP", e);
        }
      }
    }
  }
}

package org.tlsrpt.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void givesDistinctTcpPortsThatCanBeBound() throws Exception {
    int[] ports = FreePorts.tcp(3);
    assertThat(ports).doesNotHaveDuplicates();
    for (int p : ports) {
      try (ServerSocket s = new ServerSocket(p)) {
        assertThat(s.getLocalPort()).isEqualTo(p);
      }
    }
  }

  @Test
  void givesAPortFreeOverUdpAndTcpOnLoopback() throws Exception {
    int p = FreePorts.udpAndTcp();
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (DatagramSocket udp = new DatagramSocket(p, lo);
        ServerSocket tcp = new ServerSocket(p, 1, lo)) {
      assertThat(udp.getLocalPort()).isEqualTo(tcp.getLocalPort()).isEqualTo(p);
    }
  }
}

package org.tlsrpt.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private static final InetAddress PROXY = InetAddress.ofLiteral("10.0.0.5");
  private static final InetAddress STRANGER = InetAddress.ofLiteral("192.0.2.44");

  @Test
  void ignoresTheHeaderWhenNoProxyIsTrusted() {
    assertThat(TrustedProxies.NONE.client(PROXY, List.of("198.51.100.7"))).isEqualTo("10.0.0.5");
  }

  @Test
  void ignoresTheHeaderFromAPeerThatIsNotATrustedProxy() {
    TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
    assertThat(p.client(STRANGER, List.of("198.51.100.7"))).isEqualTo("192.0.2.44");
  }

  @Test
  void takesTheForwardedAddressFromATrustedProxy() {
    TrustedProxies p = TrustedProxies.parse("10.0.0.5");
    assertThat(p.client(PROXY, List.of("198.51.100.7"))).isEqualTo("198.51.100.7");
    assertThat(p.client(PROXY, null)).isEqualTo("10.0.0.5");
    assertThat(p.client(PROXY, List.of())).isEqualTo("10.0.0.5");
  }

  @Test
  void takesTheRightMostAddressThatIsNotATrustedProxyNotWhatTheClientWroteFirst() {
    // the client wrote "203.0.113.66" itself; the first proxy (10.1.2.3) appended the real peer
    TrustedProxies p = TrustedProxies.parse("10.0.0.5, 10.1.0.0/16");
    assertThat(p.client(PROXY, List.of("203.0.113.66, 198.51.100.7, 10.1.2.3")))
        .isEqualTo("198.51.100.7");
    // several headers are one list, in order
    assertThat(p.client(PROXY, List.of("203.0.113.66", "198.51.100.7", "10.1.2.3")))
        .isEqualTo("198.51.100.7");
  }

  @Test
  void stopsAtAnEntryThatIsNotAnAddress() {
    TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
    assertThat(p.client(PROXY, List.of("198.51.100.7, unknown, 10.1.2.3"))).isEqualTo("10.1.2.3");
    assertThat(p.client(PROXY, List.of("evil.example"))).isEqualTo("10.0.0.5");
  }

  @Test
  void understandsIpv6RangesAndBrackets() {
    TrustedProxies p = TrustedProxies.parse("fd00::/8");
    InetAddress v6proxy = InetAddress.ofLiteral("fd12::1");
    assertThat(p.client(v6proxy, List.of("[2001:db8::7]"))).isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(p.client(PROXY, List.of("2001:db8::7"))).isEqualTo("10.0.0.5");
  }

  @Test
  void refusesHostNamesAndBadPrefixesNamingTheEntry() {
    assertThatThrownBy(() -> TrustedProxies.parse("proxy.example.com"))
        .hasMessage("'proxy.example.com' is not an IP address or a CIDR range such as 10.0.0.0/8");
    assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33"))
        .hasMessage("'10.0.0.0/33' has a prefix length outside 0..32");
    assertThat(TrustedProxies.parse(" , ").isEmpty()).isTrue();
  }
}

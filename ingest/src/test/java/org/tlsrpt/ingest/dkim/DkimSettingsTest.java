package org.tlsrpt.ingest.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DkimSettingsTest {
  private static InetSocketAddress address(String resolver) {
    return new DkimSettings(resolver, Duration.ofSeconds(5), 10).resolverAddress().orElseThrow();
  }

  @Test
  void readsHostAndPortInEveryForm() {
    assertThat(address("127.0.0.1:5300"))
        .isEqualTo(InetSocketAddress.createUnresolved("127.0.0.1", 5300));
    assertThat(address(" 10.0.0.53 "))
        .isEqualTo(InetSocketAddress.createUnresolved("10.0.0.53", 53));
    assertThat(address("[::1]:5300")).isEqualTo(InetSocketAddress.createUnresolved("::1", 5300));
    assertThat(address("[::1]")).isEqualTo(InetSocketAddress.createUnresolved("::1", 53));
    assertThat(address("2001:db8::53"))
        .isEqualTo(InetSocketAddress.createUnresolved("2001:db8::53", 53));
    assertThat(address("unbound:53")).isEqualTo(InetSocketAddress.createUnresolved("unbound", 53));
  }

  @Test
  void usesTheSystemsResolversWhenNoneIsGiven() {
    assertThat(DkimSettings.DEFAULTS.resolverAddress()).isEmpty();
    assertThat(new DkimSettings("  ", Duration.ofSeconds(1), 10).resolverAddress()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:",
        "127.0.0.1:0",
        "127.0.0.1:65536",
        "host:dns",
        ":53",
        "[::1",
        "[::1]53",
        "a b:53"
      })
  void rejectsAResolverThatIsNotHostPort(String resolver) {
    assertThatThrownBy(() -> new DkimSettings(resolver, Duration.ofSeconds(5), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("DKIM resolver '" + resolver.strip() + "' is not host:port");
  }

  @Test
  void rejectsFewerThanOneSignature() {
    assertThatThrownBy(() -> new DkimSettings("", Duration.ofSeconds(5), 0))
        .hasMessage("DKIM max signatures must be at least 1, not 0");
  }

  @Test
  void rejectsANonPositiveTimeout() {
    assertThatThrownBy(() -> new DkimSettings("", Duration.ZERO, 10))
        .hasMessage("DKIM key lookup timeout must be positive, not PT0S");
  }
}

package org.tlsrpt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsValuesTest {
  private static final Setting PORT = new Setting("x.port", "25", "A port.");
  private static final Setting HOSTS = new Setting("x.hosts", "", "Hosts.");
  private static final Setting PASSWORD = new Setting("x.password", "", "A password.");
  private static final List<Setting> KNOWN = List.of(PORT, HOSTS, PASSWORD);

  private static Settings env(String name, String value) {
    return Settings.load(null, Map.of(name, value), KNOWN);
  }

  @Test
  void refusesAPortAbove65535NamingTheKeyAndTheVariable() {
    assertThat(Settings.load(null, Map.of(), KNOWN).port(PORT)).isEqualTo(25);
    assertThatThrownBy(() -> env("TLSRPT_X_PORT", "70000").port(PORT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("x.port (TLSRPT_X_PORT) = '70000'")
        .hasMessageContaining("environment variable TLSRPT_X_PORT")
        .hasMessageContaining("a port 1..65535");
  }

  @Test
  void splitsAListAtCommasAndLeavesOutEmptyEntries() {
    assertThat(env("TLSRPT_X_HOSTS", " a.example, ,b.example,").list(HOSTS))
        .containsExactly("a.example", "b.example");
    assertThat(Settings.defaults().list(HOSTS)).isEmpty();
  }

  @Test
  void aSecretDoesNotPrintItsValue() {
    Secret s = env("TLSRPT_X_PASSWORD", "hunter2").secret(PASSWORD);
    assertThat(s.value()).isEqualTo("hunter2");
    assertThat(s).hasToString("***");
    assertThat(Settings.defaults().secret(PASSWORD).isEmpty()).isTrue();
  }
}

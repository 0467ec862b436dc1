package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.config.ParserSettings;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.parser.rules.ParserLimits;

class SettingsTest {

  @Test
  void defaultsAreTheParserDefaults() {
    assertThat(ParserSettings.from(Settings.defaults()).limits()).isEqualTo(ParserLimits.DEFAULTS);
  }

  @Test
  void environmentOverridesTheFileAndAcceptsSizeUnits(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.conf");
    Files.writeString(file, "parser.max_input_bytes = 1MiB\nparser.max_zip_entries = 3\n");
    Settings s =
        Settings.load(file, Map.of("TLSRPT_PARSER_MAX_INPUT_BYTES", "2m"), AllSettings.ALL);
    ParserLimits l = ParserSettings.from(s).limits();
    assertThat(l.maxInputBytes()).isEqualTo(2 << 20);
    assertThat(l.maxZipEntries()).isEqualTo(3);
  }

  @Test
  void readsASecretFromTheFileNamedByTheFileVariant(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("depth");
    Files.writeString(secret, "17\n");
    Settings s =
        Settings.load(
            null, Map.of("TLSRPT_PARSER_MAX_JSON_DEPTH_FILE", secret.toString()), AllSettings.ALL);
    assertThat(ParserSettings.from(s).limits().maxJsonDepth()).isEqualTo(17);
  }

  @Test
  void namesTheKeyTheVariableAndTheOriginOfABadValue() {
    Settings s = Settings.load(null, Map.of("TLSRPT_PARSER_MAX_POLICIES", "-4"), AllSettings.ALL);
    assertThatThrownBy(() -> ParserSettings.from(s))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("parser.max_policies")
        .hasMessageContaining("environment variable TLSRPT_PARSER_MAX_POLICIES")
        .hasMessageContaining("positive whole number");
  }

  @Test
  void refusesAHostNameAsATrustedProxyNamingTheKey() {
    Settings s =
        Settings.load(
            null,
            Map.of("TLSRPT_HTTP_TRUSTED_PROXIES", "10.0.0.5, proxy.example"),
            AllSettings.ALL);
    assertThatThrownBy(() -> org.tlsrpt.app.config.ServeSettings.from(s))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("http.trusted_proxies (TLSRPT_HTTP_TRUSTED_PROXIES)")
        .hasMessageContaining("'proxy.example' is not an IP address");
  }

  @Test
  void everySettingIsDocumented() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("mvnw"))) {
      root = root.getParent();
    }
    String doc = Files.readString(root.resolve("docs/configuration.md"));
    for (Setting setting : AllSettings.ALL) {
      assertThat(doc)
          .as("docs/configuration.md documents %s", setting.key())
          .contains(setting.key(), setting.environmentVariable(), setting.defaultValue());
    }
  }
}

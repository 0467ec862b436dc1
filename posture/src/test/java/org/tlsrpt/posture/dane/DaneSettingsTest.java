package org.tlsrpt.posture.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Settings;

class DaneSettingsTest {

  @Test
  void defaultsToCheckingFromTheRootsKeys() {
    DaneSettings s = DaneSettings.from(Settings.defaults());

    assertThat(s).isEqualTo(DaneSettings.defaults());
    assertThat(s.trustAnchor()).isNull();
    assertThat(s.signatureWarnDays()).isEqualTo(2);
  }

  @Test
  void readsTheEnvironment() {
    Settings env =
        Settings.load(
            null,
            Map.of("TLSRPT_CHECK_DANE", "false", "TLSRPT_CHECK_DNSSEC_SIGNATURE_WARN_DAYS", "5"),
            DaneSettings.ALL);

    assertThat(DaneSettings.from(env)).isEqualTo(new DaneSettings(false, null, 5));
  }

  @Test
  void refusesATrustAnchorFileThatCannotBeRead() {
    Settings env =
        Settings.load(
            null,
            Map.of("TLSRPT_CHECK_DNSSEC_TRUST_ANCHOR", "/nonexistent/anchor.ds"),
            DaneSettings.ALL);

    assertThatThrownBy(() -> DaneSettings.from(env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("check.dnssec_trust_anchor (TLSRPT_CHECK_DNSSEC_TRUST_ANCHOR)")
        .hasMessageContaining("'/nonexistent/anchor.ds'");
  }

  @Test
  void refusesATrustAnchorFileWithoutDsOrDnskeyRecords(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("anchor.ds");
    Files.writeString(file, "; nothing but a comment\n");
    Settings env =
        Settings.load(
            null, Map.of("TLSRPT_CHECK_DNSSEC_TRUST_ANCHOR", file.toString()), DaneSettings.ALL);

    assertThatThrownBy(() -> DaneSettings.from(env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "setting check.dnssec_trust_anchor (TLSRPT_CHECK_DNSSEC_TRUST_ANCHOR)")
        .hasMessageContaining("holds no DS or DNSKEY record");
  }

  @Test
  void theBuiltInRootAnchorHoldsBothRootKeys() throws Exception {
    String text =
        new String(
            DnssecResolver.class.getResourceAsStream("root-anchors.ds").readAllBytes(),
            java.nio.charset.StandardCharsets.US_ASCII);

    assertThat(text)
        .contains(
            ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D")
        .contains(
            ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16");
  }
}

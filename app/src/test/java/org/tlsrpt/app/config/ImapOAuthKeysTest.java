package org.tlsrpt.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.imap.ImapSettings;
import org.tlsrpt.ingest.imap.oauth.OAuthGrant;

class ImapOAuthKeysTest {
  @TempDir Path dir;

  private static ImapSettings imap(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("TLSRPT_IMAP_HOST", "outlook.office365.com");
    all.put("TLSRPT_IMAP_USER", "tlsrpt@example.com");
    return ImapKeys.from(Settings.load(null, all, AllSettings.ALL));
  }

  @Test
  void passwordIsTheDefaultLogin() {
    assertThat(imap(Map.of("TLSRPT_IMAP_PASSWORD", "pw")).oauth()).isNull();
  }

  @Test
  void microsoftWithASecretReadFromAFileUsesTheTenantsEndpointAndTheExchangeScope()
      throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "s3cr3t\n");
    ImapSettings s =
        imap(
            Map.of(
                "TLSRPT_IMAP_AUTH", "oauth2",
                "TLSRPT_IMAP_OAUTH2_PROVIDER", "microsoft",
                "TLSRPT_IMAP_OAUTH2_TENANT", "contoso.onmicrosoft.com",
                "TLSRPT_IMAP_OAUTH2_CLIENT_ID", "app-id",
                "TLSRPT_IMAP_OAUTH2_CLIENT_SECRET_FILE", secret.toString()));
    assertThat(s.oauth().tokenUrl())
        .isEqualTo(
            URI.create(
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"));
    assertThat(s.oauth().grant())
        .isEqualTo(
            new OAuthGrant.ClientSecret(
                "app-id", "s3cr3t", "https://outlook.office365.com/.default"));
    assertThat(s.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void googleDefaultsToTheRefreshTokenGrantAtGooglesEndpoint() {
    ImapSettings s =
        imap(
            Map.of(
                "TLSRPT_IMAP_AUTH", "oauth2",
                "TLSRPT_IMAP_OAUTH2_PROVIDER", "google",
                "TLSRPT_IMAP_OAUTH2_CLIENT_ID", "id.apps.googleusercontent.com",
                "TLSRPT_IMAP_OAUTH2_CLIENT_SECRET", "cs",
                "TLSRPT_IMAP_OAUTH2_REFRESH_TOKEN", "1//rt"));
    assertThat(s.oauth().tokenUrl()).isEqualTo(URI.create("https://oauth2.googleapis.com/token"));
    assertThat(s.oauth().grant()).isInstanceOf(OAuthGrant.RefreshToken.class);
  }

  @Test
  void aMissingKeyIsNamedWithItsVariable() {
    assertThatThrownBy(
            () ->
                imap(
                    Map.of(
                        "TLSRPT_IMAP_AUTH", "oauth2",
                        "TLSRPT_IMAP_OAUTH2_PROVIDER", "microsoft",
                        "TLSRPT_IMAP_OAUTH2_CLIENT_ID", "app-id",
                        "TLSRPT_IMAP_OAUTH2_CLIENT_SECRET", "x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("imap.oauth2.tenant (TLSRPT_IMAP_OAUTH2_TENANT)");
  }

  @Test
  void anUnknownProviderOrAuthIsRefused() {
    assertThatThrownBy(() -> imap(Map.of("TLSRPT_IMAP_AUTH", "oauth2")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("imap.oauth2.provider");
    assertThatThrownBy(() -> imap(Map.of("TLSRPT_IMAP_AUTH", "kerberos")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("password or oauth2");
  }
}

package org.tlsrpt.app.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.imap.oauth.KeyFiles;
import org.tlsrpt.ingest.imap.oauth.OAuthGrant;
import org.tlsrpt.ingest.imap.oauth.OAuthSettings;

/**
 * The keys of the IMAP poller's OAuth2 login ({@code imap.auth} and {@code imap.oauth2.*}) and how
 * they become its {@link OAuthSettings}: the provider chooses the token URL, the scope and the
 * usual grant; the grant says which of the other keys are needed. Part of {@link ImapKeys}.
 */
public final class ImapOAuthKeys {
  private ImapOAuthKeys() {}

  public static final Setting AUTH =
      new Setting(
          "imap.auth",
          "password",
          "password (imap.password), or oauth2 (SASL XOAUTH2 with tokens from imap.oauth2.*).");
  public static final Setting PROVIDER =
      new Setting(
          "imap.oauth2.provider",
          "",
          "microsoft (Microsoft 365), google (Google Workspace, Gmail) or other (set token_url"
              + " and scope).");
  public static final Setting GRANT =
      new Setting(
          "imap.oauth2.grant",
          "",
          "client_credentials, refresh_token or service_account; empty: client_credentials for"
              + " microsoft, refresh_token for google.");
  public static final Setting TENANT =
      new Setting(
          "imap.oauth2.tenant",
          "",
          "Microsoft 365: the directory (tenant) id or a verified domain.");
  public static final Setting CLIENT_ID =
      new Setting("imap.oauth2.client_id", "", "The application (client) id.");
  public static final Setting CLIENT_SECRET =
      new Setting(
          "imap.oauth2.client_secret",
          "",
          "The client secret (TLSRPT_IMAP_OAUTH2_CLIENT_SECRET_FILE reads a file).");
  public static final Setting CERTIFICATE_FILE =
      new Setting(
          "imap.oauth2.certificate_file",
          "",
          "client_credentials with a certificate instead of a secret: the certificate (PEM)"
              + " registered with the application.");
  public static final Setting PRIVATE_KEY_FILE =
      new Setting(
          "imap.oauth2.private_key_file",
          "",
          "Its RSA private key (PKCS#8 PEM), which signs the client assertion.");
  public static final Setting REFRESH_TOKEN =
      new Setting(
          "imap.oauth2.refresh_token",
          "",
          "refresh_token: the refresh token (TLSRPT_IMAP_OAUTH2_REFRESH_TOKEN_FILE reads a file).");
  public static final Setting SERVICE_ACCOUNT_FILE =
      new Setting(
          "imap.oauth2.service_account_file",
          "",
          "service_account: the service account's JSON key file; tokens act as imap.user"
              + " (domain-wide delegation).");
  public static final Setting TOKEN_URL =
      new Setting("imap.oauth2.token_url", "", "The token endpoint; empty: the provider's.");
  public static final Setting SCOPE =
      new Setting("imap.oauth2.scope", "", "The scope asked for; empty: the provider's.");
  public static final Setting REFRESH_MARGIN_SECONDS =
      new Setting(
          "imap.oauth2.refresh_margin_seconds",
          "300",
          "A token is renewed this long before it expires.");

  public static final List<Setting> ALL =
      List.of(
          AUTH,
          PROVIDER,
          GRANT,
          TENANT,
          CLIENT_ID,
          CLIENT_SECRET,
          CERTIFICATE_FILE,
          PRIVATE_KEY_FILE,
          REFRESH_TOKEN,
          SERVICE_ACCOUNT_FILE,
          TOKEN_URL,
          SCOPE,
          REFRESH_MARGIN_SECONDS);

  /**
   * The OAuth2 settings, or null when {@code imap.auth} is {@code password}.
   *
   * @param user the IMAP login, which a service account's tokens act as
   * @throws ConfigurationException naming the key that is missing or not valid
   */
  public static OAuthSettings from(Settings s, String user) {
    String auth = s.string(AUTH).trim().toLowerCase(Locale.ROOT);
    if (auth.equals("password")) {
      return null;
    }
    if (!auth.equals("oauth2")) {
      throw s.invalid(AUTH, "password or oauth2");
    }
    String provider = s.string(PROVIDER).trim().toLowerCase(Locale.ROOT);
    if (!List.of("microsoft", "google", "other").contains(provider)) {
      throw s.invalid(PROVIDER, "microsoft, google or other (with imap.auth=oauth2)");
    }
    String grant = s.string(GRANT).trim().toLowerCase(Locale.ROOT);
    if (grant.isEmpty()) {
      grant = provider.equals("google") ? "refresh_token" : "client_credentials";
    }
    String scope = orDefault(s, SCOPE, providerScope(provider));
    try {
      return switch (grant) {
        case "client_credentials" -> {
          URI url = tokenUrl(s, provider, null);
          yield new OAuthSettings(url, clientCredentials(s, scope), margin(s));
        }
        case "refresh_token" ->
            new OAuthSettings(
                tokenUrl(s, provider, null),
                new OAuthGrant.RefreshToken(
                    required(s, CLIENT_ID),
                    s.secret(CLIENT_SECRET).value(),
                    requiredSecret(s, REFRESH_TOKEN)),
                margin(s));
        case "service_account" -> {
          KeyFiles.ServiceAccountKey key =
              KeyFiles.serviceAccount(Path.of(required(s, SERVICE_ACCOUNT_FILE)));
          yield new OAuthSettings(
              tokenUrl(s, provider, key.tokenUri()),
              new OAuthGrant.ServiceAccount(
                  key.email(), key.key(), key.keyId(), user, required(s, SCOPE, scope)),
              margin(s));
        }
        default -> throw s.invalid(GRANT, "client_credentials, refresh_token or service_account");
      };
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("imap.oauth2.* (" + grant + "): " + e.getMessage());
    }
  }

  private static OAuthGrant clientCredentials(Settings s, String scope) {
    String id = required(s, CLIENT_ID);
    String cert = s.string(CERTIFICATE_FILE).trim();
    String key = s.string(PRIVATE_KEY_FILE).trim();
    String wanted = required(s, SCOPE, scope);
    if (!cert.isEmpty() || !key.isEmpty()) {
      return new OAuthGrant.ClientCertificate(
          id,
          KeyFiles.privateKey(Path.of(required(s, PRIVATE_KEY_FILE))),
          KeyFiles.certificate(Path.of(required(s, CERTIFICATE_FILE))),
          wanted);
    }
    return new OAuthGrant.ClientSecret(id, requiredSecret(s, CLIENT_SECRET), wanted);
  }

  private static URI tokenUrl(Settings s, String provider, String fromKeyFile) {
    String configured = s.string(TOKEN_URL).trim();
    if (!configured.isEmpty()) {
      try {
        return URI.create(configured);
      } catch (IllegalArgumentException e) {
        throw s.invalid(TOKEN_URL, "an https URL");
      }
    }
    return switch (provider) {
      case "microsoft" -> OAuthSettings.microsoftTokenUrl(required(s, TENANT));
      case "google" ->
          fromKeyFile == null || fromKeyFile.isBlank()
              ? OAuthSettings.GOOGLE_TOKEN_URL
              : URI.create(fromKeyFile);
      default -> URI.create(required(s, TOKEN_URL));
    };
  }

  private static String providerScope(String provider) {
    return switch (provider) {
      case "microsoft" -> OAuthSettings.MICROSOFT_SCOPE;
      case "google" -> OAuthSettings.GOOGLE_SCOPE;
      default -> "";
    };
  }

  private static Duration margin(Settings s) {
    return Duration.ofSeconds(s.integerOrZero(REFRESH_MARGIN_SECONDS));
  }

  private static String orDefault(Settings s, Setting key, String fallback) {
    String v = s.string(key).trim();
    return v.isEmpty() ? fallback : v;
  }

  private static String required(Settings s, Setting key) {
    return required(s, key, s.string(key).trim());
  }

  /** {@code value} (the key's, or its default), which must not be empty. */
  private static String required(Settings s, Setting key, String value) {
    if (value.isBlank()) {
      throw new ConfigurationException(
          key.key()
              + " ("
              + key.environmentVariable()
              + ") must be set with imap.auth=oauth2 and this provider and grant");
    }
    return value;
  }

  private static String requiredSecret(Settings s, Setting key) {
    String v = s.secret(key).value();
    return required(s, key, v.strip());
  }
}

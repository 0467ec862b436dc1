package org.tlsrpt.ingest.imap.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtAssertionTest {
  private static final URI TOKEN_URL = URI.create("https://oauth2.googleapis.com/token");

  @Test
  void aServiceAccountsAssertionIsSignedWithItsKeyAndActsAsTheMailboxUser() throws Exception {
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Map<String, String> form =
        new OAuthGrant.ServiceAccount(
                "sa@p.iam.gserviceaccount.com",
                rsa.getPrivate(),
                "k1",
                "tlsrpt@example.com",
                OAuthSettings.GOOGLE_SCOPE)
            .form(TOKEN_URL, Instant.parse("2026-01-01T00:00:00Z"));

    assertThat(form).containsEntry("grant_type", OAuthGrant.JWT_BEARER);
    String[] jwt = form.get("assertion").split("\\.");
    assertThat(jwt).hasSize(3);
    Signature verify = Signature.getInstance("SHA256withRSA");
    verify.initVerify(rsa.getPublic());
    verify.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verify.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
    String header = new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8);
    String claims = new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8);
    assertThat(header).contains("\"alg\":\"RS256\"").contains("\"kid\":\"k1\"");
    assertThat(claims)
        .contains("\"iss\":\"sa@p.iam.gserviceaccount.com\"")
        .contains("\"sub\":\"tlsrpt@example.com\"")
        .contains("\"scope\":\"https://mail.google.com/\"")
        .contains("\"aud\":\"https://oauth2.googleapis.com/token\"")
        .contains("\"iat\":1767225600")
        .contains("\"exp\":1767226200");
  }

  @Test
  void aPkcs1KeyIsRefusedWithTheCommandThatConvertsIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                KeyFiles.privateKey(
                    "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                    "key.pem"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }
}

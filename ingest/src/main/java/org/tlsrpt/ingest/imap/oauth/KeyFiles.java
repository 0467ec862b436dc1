package org.tlsrpt.ingest.imap.oauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the key material of the assertion grants: a PEM private key (PKCS#8, as {@code openssl}
 * writes it), a PEM certificate, and a Google service account's JSON key file. Errors name the file
 * and what was expected, never the key.
 */
public final class KeyFiles {
  private static final JsonFactory JSON = new JsonFactory();

  private KeyFiles() {}

  /** An RSA private key in PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
  public static PrivateKey privateKey(Path file) {
    return privateKey(read(file), file.toString());
  }

  static PrivateKey privateKey(String pem, String where) {
    if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
      throw new IllegalArgumentException(
          where
              + " holds a PKCS#1 or encrypted key; convert it with"
              + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem'");
    }
    byte[] der = pem(pem, "PRIVATE KEY", where);
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(where + " is not an RSA private key in PKCS#8", e);
    }
  }

  /** An X.509 certificate in PEM. */
  public static X509Certificate certificate(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException(file + " is not a readable X.509 certificate", e);
    }
  }

  /** The certificate's SHA-1 thumbprint, base64url: the {@code x5t} of a JWT header. */
  static String thumbprint(X509Certificate cert) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  /**
   * A Google service account's JSON key file (as the Cloud console downloads it).
   *
   * @param email {@code client_email}
   * @param keyId {@code private_key_id}, or empty
   * @param tokenUri {@code token_uri}, or empty
   */
  public record ServiceAccountKey(String email, PrivateKey key, String keyId, String tokenUri) {
    @Override
    public String toString() {
      return "ServiceAccountKey[" + email + "]";
    }
  }

  public static ServiceAccountKey serviceAccount(Path file) {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser p = JSON.createParser(read(file))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(file + " is not a JSON object");
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        if (p.nextToken() == JsonToken.VALUE_STRING) {
          fields.put(name, p.getText());
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not a service account key (JSON)", e);
    }
    for (String required : new String[] {"client_email", "private_key"}) {
      if (fields.getOrDefault(required, "").isBlank()) {
        throw new IllegalArgumentException(
            file + " has no " + required + ": is it a service account's JSON key?");
      }
    }
    return new ServiceAccountKey(
        fields.get("client_email"),
        privateKey(fields.get("private_key"), file + " (private_key)"),
        fields.getOrDefault("private_key_id", ""),
        fields.getOrDefault("token_uri", ""));
  }

  private static byte[] pem(String text, String type, String where) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(where + " has no " + begin + " block");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": the " + type + " block is not base64", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}

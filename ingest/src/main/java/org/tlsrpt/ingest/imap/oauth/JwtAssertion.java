package org.tlsrpt.ingest.imap.oauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/**
 * A JSON Web Token signed with RS256 (RFC 7515, RFC 7519), as both a Microsoft client assertion
 * (RFC 7523 section 2.2) and a Google service account's bearer grant (section 2.1) are.
 */
final class JwtAssertion {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private JwtAssertion() {}

  /**
   * @param header fields beside {@code alg} and {@code typ} (String values)
   * @param claims String or Long values
   */
  static String sign(Map<String, String> header, Map<String, Object> claims, PrivateKey key) {
    String head = encode(Map.of("alg", "RS256", "typ", "JWT"), header);
    String body = encode(Map.of(), claims);
    String signingInput = head + "." + body;
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new OAuthException("cannot sign the JWT assertion with the configured key", e);
    }
  }

  private static String encode(Map<String, ?> first, Map<String, ?> rest) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      for (Map<String, ?> fields : java.util.List.of(first, rest)) {
        for (Map.Entry<String, ?> e : new java.util.TreeMap<>(fields).entrySet()) {
          if (e.getValue() instanceof Long n) {
            g.writeNumberField(e.getKey(), n);
          } else {
            g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
          }
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return B64.encodeToString(w.toString().getBytes(StandardCharsets.UTF_8));
  }
}

package org.tlsrpt.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

/**
 * Reads a sample with the plain library chain (Jakarta Mail, the JDK's gunzip, a Jackson tree): a
 * second opinion on what a file says, written without any of the parser's code.
 */
final class IndependentReading {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IndependentReading() {}

  /** The JSON report trees in a sample file. */
  static List<JsonNode> reports(byte[] raw) throws Exception {
    int i = 0;
    while (Character.isWhitespace(raw[i])) {
      i++;
    }
    if (raw[i] == '{') {
      return List.of(MAPPER.readTree(raw));
    }
    MimeMessage m =
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    List<JsonNode> out = new ArrayList<>();
    collect(m.getContent(), m.getContentType(), out);
    return out;
  }

  private static void collect(Object content, String type, List<JsonNode> out) throws Exception {
    if (content instanceof Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart part = mp.getBodyPart(i);
        String t = part.getContentType().toLowerCase();
        if (t.startsWith("application/tlsrpt") || t.contains("gzip") || t.contains("json")) {
          byte[] body = part.getInputStream().readAllBytes();
          InputStream in = new ByteArrayInputStream(body);
          if ((body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
            in = new GZIPInputStream(in);
          }
          out.add(MAPPER.readTree(in));
        } else if (part.getContent() instanceof Multipart nested) {
          collect(nested, t, out);
        }
      }
    }
  }
}

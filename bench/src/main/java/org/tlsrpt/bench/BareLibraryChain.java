package org.tlsrpt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

/**
 * The reference the parse benchmark compares against: the plain library chain with no validation
 * (Jakarta Mail's MimeMessage, base64, the JDK's gunzip, a Jackson tree). It counts the reports it
 * finds so that the JIT cannot skip the work.
 */
final class BareLibraryChain {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Session SESSION = Session.getInstance(new Properties());

  private BareLibraryChain() {}

  /** Reads one input; returns 1 when it found a report object, else 0. */
  static int read(byte[] raw) throws IOException, MessagingException {
    byte first = raw[0];
    if ((first & 0xff) == 0x1f) {
      return reports(gunzipTree(new ByteArrayInputStream(raw)));
    }
    if (first == '{' || first == ' ' || first == '\n' || first == '\r' || first == '\t') {
      return reports(MAPPER.readTree(raw));
    }
    MimeMessage m = new MimeMessage(SESSION, new SharedByteArrayInputStream(raw));
    Object content = m.getContent();
    if (content instanceof Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart part = mp.getBodyPart(i);
        if (part.isMimeType("application/tlsrpt+gzip")) {
          return reports(gunzipTree(part.getInputStream()));
        }
        if (part.isMimeType("application/tlsrpt+json")) {
          return reports(MAPPER.readTree(part.getInputStream()));
        }
      }
    }
    return 0;
  }

  private static JsonNode gunzipTree(InputStream in) throws IOException {
    try (InputStream gz = new GZIPInputStream(in)) {
      return MAPPER.readTree(gz);
    }
  }

  private static int reports(JsonNode tree) {
    return tree.isObject() && tree.size() > 0 ? 1 : 0;
  }
}

package org.tlsrpt.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.tlsrpt.storage.Source;

/**
 * A raw input as a source received it.
 *
 * @param raw the exact bytes received (a whole e-mail message, or an HTTPS body)
 * @param contentType the HTTPS Content-Type, or null for e-mail
 * @param transport how it came, for tracing (e.g. {@code client} address, SMTP {@code helo}, {@code
 *     mail-from}, IMAP {@code uid}); published with the input in the Kafka pipeline
 */
public record Submission(
    byte[] raw,
    Source source,
    Instant receivedAt,
    String contentType,
    Map<String, String> transport) {
  public Submission {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(receivedAt, "receivedAt");
    transport = transport == null ? Map.of() : Map.copyOf(transport);
  }

  public static Submission mail(byte[] raw, Source source) {
    return mail(raw, source, Map.of());
  }

  public static Submission mail(byte[] raw, Source source, Map<String, String> transport) {
    return new Submission(raw, source, Instant.now(), null, transport);
  }

  public static Submission https(byte[] raw, String contentType) {
    return https(raw, contentType, Map.of());
  }

  public static Submission https(byte[] raw, String contentType, Map<String, String> transport) {
    return new Submission(raw, Source.HTTPS, Instant.now(), contentType, transport);
  }
}

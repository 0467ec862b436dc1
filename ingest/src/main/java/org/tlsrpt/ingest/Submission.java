package org.tlsrpt.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * A raw input as a source received it.
 *
 * @param raw the exact bytes received (a whole e-mail message, or an HTTPS body)
 * @param source smtp, imap or https
 * @param contentType the HTTPS Content-Type, or null for e-mail
 */
public record Submission(byte[] raw, String source, Instant receivedAt, String contentType) {
  public Submission {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  public static Submission mail(byte[] raw, String source) {
    return new Submission(raw, source, Instant.now(), null);
  }

  public static Submission https(byte[] raw, String contentType) {
    return new Submission(raw, "https", Instant.now(), contentType);
  }
}

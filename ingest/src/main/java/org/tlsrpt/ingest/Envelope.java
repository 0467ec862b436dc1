package org.tlsrpt.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.Source;

/**
 * One input as a source received it, with what the intake decided about it: the record every stage
 * hands on (a source to the intake, the intake to the spool or to Kafka, the spool loader and the
 * worker to the store), and the one place that knows how such an input is parsed.
 *
 * @param raw the exact bytes received (a whole e-mail message, or an HTTPS body)
 * @param contentType the HTTPS Content-Type, or null for an e-mail
 * @param transport how it came, for tracing (e.g. {@code client} address, SMTP {@code helo}, {@code
 *     mail-from}, IMAP {@code uid}); published with the input in the Kafka pipeline, not spooled
 * @param dkim what is known of its DKIM signatures: not checked until the intake checked them
 * @param quarantineReason when not null, the input is kept but not counted (DKIM failed)
 */
public record Envelope(
    byte[] raw,
    Source source,
    Instant receivedAt,
    String contentType,
    Map<String, String> transport,
    DkimResult dkim,
    String quarantineReason) {
  public Envelope {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(dkim, "dkim");
    transport = transport == null ? Map.of() : Map.copyOf(transport);
  }

  /** An e-mail message received now; its DKIM signatures are not checked yet. */
  public static Envelope mail(byte[] raw, Source source, Map<String, String> transport) {
    return new Envelope(raw, source, Instant.now(), null, transport, DkimResult.NOT_CHECKED, null);
  }

  public static Envelope mail(byte[] raw, Source source) {
    return mail(raw, source, Map.of());
  }

  /** An HTTPS body received now: unauthenticated, as RFC 8460 §3 has it. */
  public static Envelope https(byte[] raw, String contentType, Map<String, String> transport) {
    Objects.requireNonNull(contentType, "contentType");
    return new Envelope(
        raw, Source.HTTPS, Instant.now(), contentType, transport, DkimResult.UNAUTHENTICATED, null);
  }

  public static Envelope https(byte[] raw, String contentType) {
    return https(raw, contentType, Map.of());
  }

  /**
   * A local file ({@code tlsrpt parse}, {@code tlsrpt import}) read now: a whole message or report
   * when {@code contentType} is null, else a body of that HTTPS content type.
   */
  public static Envelope file(byte[] raw, String contentType) {
    return new Envelope(
        raw, Source.FILE, Instant.now(), contentType, Map.of(), DkimResult.NOT_CHECKED, null);
  }

  /** An e-mail message (DKIM applies), rather than an HTTPS body. */
  public boolean isMail() {
    return contentType == null;
  }

  /** Parses the input the way it came: a whole message, or an HTTPS body of its content type. */
  public ParseOutcome parse(ReportParser parser) {
    return isMail() ? parser.parse(raw) : parser.parseHttpBody(raw, contentType);
  }

  /** This envelope with the intake's DKIM verdict and, when it quarantines, the reason. */
  public Envelope checked(DkimResult verdict, String quarantine) {
    return new Envelope(raw, source, receivedAt, contentType, transport, verdict, quarantine);
  }

  /** What the store is given for this input, parsed into {@code outcome}. */
  public Incoming incoming(ParseOutcome outcome) {
    return new Incoming(outcome, source, receivedAt, dkim, quarantineReason);
  }
}

package org.tlsrpt.storage;

import java.time.Instant;
import java.util.Objects;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.rules.RejectCode;

/**
 * One input to store: what the parser made of it and how it arrived.
 *
 * @param quarantineReason when not null, the input is kept but not counted (e.g. DKIM failed)
 */
public record Incoming(
    ParseOutcome outcome,
    Source source,
    Instant receivedAt,
    DkimResult dkim,
    String quarantineReason) {
  public Incoming {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(dkim, "dkim");
  }

  /**
   * This input kept as rejected for a reason of tlsrpt's own (storage refused it, its Kafka record
   * could not be read), with its exact bytes, so that it is neither lost nor counted.
   */
  public Incoming asRejected(RejectCode code, String reason) {
    return new Incoming(
        new ParseOutcome.Rejected(code, reason, outcome.raw()), source, receivedAt, dkim, null);
  }

  /** An input whose DKIM signatures were not checked, not quarantined. */
  public static Incoming of(ParseOutcome outcome, Source source, Instant receivedAt) {
    return new Incoming(outcome, source, receivedAt, DkimResult.NOT_CHECKED, null);
  }
}

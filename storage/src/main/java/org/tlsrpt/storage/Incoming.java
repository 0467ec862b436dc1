package org.tlsrpt.storage;

import java.time.Instant;
import java.util.Objects;
import org.tlsrpt.parser.ParseOutcome;

/**
 * One input to store: what the parser made of it and how it arrived.
 *
 * @param source how it came: smtp, imap, https or file
 * @param dkim the DKIM verdict: verified, failed, not-checked
 * @param quarantineReason when not null, the input is kept but not counted (e.g. DKIM failed)
 */
public record Incoming(
    ParseOutcome outcome, String source, Instant receivedAt, String dkim, String quarantineReason) {
  public Incoming {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(dkim, "dkim");
  }

  public static Incoming of(ParseOutcome outcome, String source, Instant receivedAt) {
    return new Incoming(outcome, source, receivedAt, "not-checked", null);
  }
}

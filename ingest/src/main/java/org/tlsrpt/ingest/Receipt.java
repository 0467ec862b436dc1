package org.tlsrpt.ingest;

import org.tlsrpt.parser.ParseOutcome;

/**
 * What became of a stored input.
 *
 * @param outcome what the parser made of it
 * @param disposition accepted (stored), duplicate (stored before: its bytes, or every report in
 *     them; counted once), rejected (not a valid report: kept with its reason) or quarantined (DKIM
 *     failed under enforce: kept, not counted). An input written to the tables later (the spool) is
 *     accepted here, whether or not it turns out to be a duplicate then.
 * @param dkim the DKIM verdict, or null when not checked
 */
public record Receipt(ParseOutcome outcome, Disposition disposition, DkimVerdict dkim) {

  /** The fate of one input. */
  public enum Disposition {
    ACCEPTED,
    DUPLICATE,
    REJECTED,
    QUARANTINED
  }

  public boolean rejected() {
    return disposition == Disposition.REJECTED;
  }
}

package org.tlsrpt.ingest;

import org.tlsrpt.parser.ParseOutcome;

/**
 * What became of one input handed to the {@link Intake}, for the source to answer in its own terms
 * (SMTP 250 or 451, HTTP 201, 400 or 503, IMAP: move the message or leave it): stored, stored
 * before (a re-delivery), stored in quarantine, kept as rejected, or not taken at all.
 */
public sealed interface Receipt {

  /**
   * How the input is counted and logged: accepted, duplicate, quarantined, rejected or deferred;
   * spooled (logged only: counted as accepted or duplicate once loaded).
   */
  String outcomeLabel();

  /** Whether the input is durably stored (in any of the four ways); false: try later. */
  default boolean stored() {
    return !(this instanceof TryLater);
  }

  /**
   * A valid report, stored and counted. With the spool it is written to the tables later, and may
   * turn out to be a duplicate then: the loader counts and logs it as such ({@link Intake#loaded}),
   * by its SHA-256; until then it is logged as {@code spooled}, not {@code accepted}.
   *
   * @param dkim the DKIM verdict, or null when not checked
   * @param spooled true when it is on the spool, not yet in the tables (new or a duplicate: not
   *     known yet)
   */
  record Stored(ParseOutcome.Parsed outcome, DkimVerdict dkim, boolean spooled) implements Receipt {
    /** Written to the tables, and new there. */
    public Stored(ParseOutcome.Parsed outcome, DkimVerdict dkim) {
      this(outcome, dkim, false);
    }

    @Override
    public String outcomeLabel() {
      return spooled ? "spooled" : "accepted";
    }
  }

  /**
   * A valid report stored before, so nothing in it is new: its very bytes, or every report in them
   * (a re-delivered message, the same report by another transport). Durably kept and counted once;
   * the sender is answered as for {@link Stored}, saying so where the protocol has words for it.
   *
   * @param dkim the DKIM verdict, or null when not checked
   */
  record Duplicate(ParseOutcome.Parsed outcome, DkimVerdict dkim) implements Receipt {
    @Override
    public String outcomeLabel() {
      return "duplicate";
    }
  }

  /** A valid report whose DKIM check failed under enforce: kept, not counted, releasable. */
  record Quarantined(ParseOutcome.Parsed outcome, DkimVerdict dkim, String reason)
      implements Receipt {
    @Override
    public String outcomeLabel() {
      return "quarantined";
    }
  }

  /** Not a valid report: kept with its reason. */
  record Rejected(ParseOutcome.Rejected outcome) implements Receipt {
    @Override
    public String outcomeLabel() {
      return "rejected";
    }
  }

  /**
   * Nothing was stored (storage or Kafka unavailable, a DKIM key not fetchable now, shutting down):
   * the source must not acknowledge the input, and the sender should try again later.
   *
   * @param reason why, for the logs
   */
  record TryLater(String reason) implements Receipt {
    @Override
    public String outcomeLabel() {
      return "deferred";
    }
  }
}

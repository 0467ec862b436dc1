package org.tlsrpt.ingest;

import org.tlsrpt.parser.ParseOutcome;

/** Where the intake puts an input; returns only once the input is durably stored. */
public interface DurableStore {
  /** What a store can tell, once an input is durable, of whether it was new. */
  enum Stored {
    /** written to the tables, and new there */
    NEW,
    /** written before: its very bytes, or every report in them (a re-delivery, counted once) */
    DUPLICATE,
    /**
     * on disk, written to the tables later: the writer tells the intake then ({@link
     * Intake#loaded})
     */
    SPOOLED,
    /** handed on to whoever writes it (Kafka), who tells new from duplicate */
    HANDED_ON
  }

  /**
   * @param input the input with the intake's DKIM verdict and quarantine decision
   * @param outcome what the intake's parser made of it
   * @return whether the input was new, as far as this store can tell now
   * @throws TryLaterException nothing was stored
   */
  Stored put(Envelope input, ParseOutcome outcome) throws TryLaterException;
}

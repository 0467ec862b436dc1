package org.tlsrpt.ingest;

import org.tlsrpt.storage.Incoming;

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
   * @param input what the intake made of the submission
   * @param from the submission as received (raw bytes, content type, transport details)
   * @throws TryLaterException nothing was stored
   */
  Stored put(Incoming input, Submission from) throws TryLaterException;
}

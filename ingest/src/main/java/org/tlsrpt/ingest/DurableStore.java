package org.tlsrpt.ingest;

import org.tlsrpt.storage.Incoming;

/** Where the intake puts an input; returns only once the input is durably stored. */
public interface DurableStore {
  /**
   * @param input what the intake made of the submission
   * @param from the submission as received (raw bytes, content type, transport details)
   * @throws TryLaterException nothing was stored
   */
  void put(Incoming input, Submission from) throws TryLaterException;
}

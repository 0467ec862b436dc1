package org.tlsrpt.ingest;

import org.tlsrpt.parser.ParseOutcome;

/** Where the intake puts an input; returns only once the input is durably stored. */
public interface DurableStore {
  /**
   * @param input the input with the intake's DKIM verdict and quarantine decision
   * @param outcome what the intake's parser made of it
   * @throws TryLaterException nothing was stored
   */
  void put(Envelope input, ParseOutcome outcome) throws TryLaterException;
}

package org.tlsrpt.ingest;

import org.tlsrpt.storage.Incoming;

/** Where the intake puts an input; returns only once the input is durably stored. */
public interface DurableStore {
  /**
   * @param contentType the HTTPS Content-Type the input came with, or null for e-mail
   * @throws TryLaterException nothing was stored
   */
  void put(Incoming input, String contentType) throws TryLaterException;
}

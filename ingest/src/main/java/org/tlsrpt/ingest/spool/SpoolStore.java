package org.tlsrpt.ingest.spool;

import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.TryLaterException;
import org.tlsrpt.parser.ParseOutcome;

/** The intake's durable store when the spool is in front of ClickHouse. */
public final class SpoolStore implements DurableStore {
  private final Spool spool;

  public SpoolStore(Spool spool) {
    this.spool = spool;
  }

  @Override
  public Stored put(Envelope input, ParseOutcome outcome) throws TryLaterException {
    spool.append(input);
    return Stored.SPOOLED;
  }
}

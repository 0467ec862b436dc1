package org.tlsrpt.ingest.spool;

import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.Submission;
import org.tlsrpt.ingest.TryLaterException;
import org.tlsrpt.storage.Incoming;

/** The intake's durable store when the spool is in front of ClickHouse. */
public final class SpoolStore implements DurableStore {
  private final Spool spool;

  public SpoolStore(Spool spool) {
    this.spool = spool;
  }

  @Override
  public Stored put(Incoming in, Submission from) throws TryLaterException {
    spool.append(
        new Spool.Entry(
            in.outcome().raw().bytes(),
            in.source(),
            in.receivedAt(),
            from.contentType(),
            in.dkim(),
            in.quarantineReason()));
    return Stored.SPOOLED;
  }
}

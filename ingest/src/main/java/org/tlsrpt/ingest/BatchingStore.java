package org.tlsrpt.ingest;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.StoreResult;

/**
 * Stores inputs straight into ClickHouse by group commit ({@link GroupCommit}): concurrent sources
 * share one write per batch, and a sender returns only once its input is stored, or learns that
 * storage is unavailable.
 */
public final class BatchingStore implements DurableStore, AutoCloseable {
  private final GroupCommit<Incoming, Written> commit;

  /** One write: its result, and which of its inputs (by identity) brought nothing new. */
  private record Written(StoreResult result, Map<Incoming, Boolean> duplicate) {
    static Written of(List<Incoming> batch, StoreResult r) {
      Map<Incoming, Boolean> duplicate = new IdentityHashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        duplicate.put(batch.get(i), r.duplicateInput(i));
      }
      return new Written(r, duplicate);
    }
  }

  /**
   * @param maxBatch inputs per write at most
   * @param maxBatchBytes raw bytes per write at most (a write holds them all in memory)
   * @param maxWaiting inputs waiting for the writer at most; senders beyond it block
   */
  public BatchingStore(ReportStore store, int maxBatch, long maxBatchBytes, int maxWaiting) {
    this.commit =
        new GroupCommit<>(
            "tlsrpt-store-writer",
            maxBatch,
            maxBatchBytes,
            in -> in.outcome().raw().bytes().length,
            maxWaiting,
            "storage is unavailable",
            batch -> Written.of(batch, store.store(batch)));
  }

  @Override
  public Stored put(Envelope input, ParseOutcome outcome) throws TryLaterException {
    Incoming in = input.incoming(outcome);
    Written w = commit.submit(in);
    return Boolean.TRUE.equals(w.duplicate().get(in)) ? Stored.DUPLICATE : Stored.NEW;
  }

  /**
   * Stores one input; returns when it is durably stored.
   *
   * @return the result of the batch it was stored in (counts over the whole batch)
   * @throws TryLaterException storage failed, or this store is closed
   */
  public StoreResult store(Incoming input) throws TryLaterException {
    return commit.submit(input).result();
  }

  /** Stores what was handed in already, then stops the writer. */
  @Override
  public void close() {
    commit.close();
  }
}

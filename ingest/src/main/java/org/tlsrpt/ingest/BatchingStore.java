package org.tlsrpt.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.StoreResult;

/**
 * Group commit for concurrent sources: one writer thread takes whatever inputs are waiting (up to
 * {@code maxBatch}), stores them in one batch, then releases every sender of the batch. A sender
 * returns only once its input is durably stored, or learns that storage is unavailable.
 */
public final class BatchingStore implements DurableStore, AutoCloseable {
  private record Pending(Incoming input, CompletableFuture<StoreResult> done) {}

  private static final Pending STOP = new Pending(null, null);

  private final ReportStore store;
  private final int maxBatch;
  private final long maxBatchBytes;
  private volatile boolean stopped;
  private final BlockingQueue<Pending> queue;
  private final Thread writer;
  private volatile boolean closed;

  /**
   * @param maxBatch inputs per write at most
   * @param maxBatchBytes raw bytes per write at most (a write holds them all in memory)
   * @param maxWaiting inputs waiting for the writer at most; senders beyond it block
   */
  public BatchingStore(ReportStore store, int maxBatch, long maxBatchBytes, int maxWaiting) {
    this.store = store;
    this.maxBatch = maxBatch;
    this.maxBatchBytes = maxBatchBytes;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, maxWaiting));
    this.writer = Thread.ofPlatform().name("tlsrpt-store-writer").start(this::run);
  }

  @Override
  public void put(Incoming input, String contentType) throws TryLaterException {
    store(input);
  }

  /**
   * Stores one input; returns when it is durably stored.
   *
   * @return the result of the batch it was stored in (counts over the whole batch)
   * @throws TryLaterException storage failed, or this store is closed
   */
  public StoreResult store(Incoming input) throws TryLaterException {
    if (closed || stopped) {
      throw new TryLaterException("tlsrpt is shutting down", null);
    }
    CompletableFuture<StoreResult> done = new CompletableFuture<>();
    try {
      queue.put(new Pending(input, done));
      if (stopped) {
        // the writer may have stopped before it saw this one: never leave a sender waiting
        done.completeExceptionally(new TryLaterException("tlsrpt is shutting down", null));
      }
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TryLaterException("interrupted while storing", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TryLaterException t) {
        throw t;
      }
      throw new TryLaterException("storage is unavailable: " + cause.getMessage(), cause);
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    try {
      while (true) {
        Pending first = queue.take();
        if (first == STOP) {
          return;
        }
        batch.add(first);
        long bytes = size(first);
        // whatever else is waiting joins this write, up to the batch limits
        Pending next;
        while (batch.size() < maxBatch && bytes < maxBatchBytes && (next = queue.poll()) != null) {
          if (next == STOP) {
            write(batch);
            return;
          }
          batch.add(next);
          bytes += size(next);
        }
        write(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // nothing handed in may wait forever: fail what is left (its senders answer "try later")
      stopped = true;
      TryLaterException gone = new TryLaterException("tlsrpt is shutting down", null);
      batch.forEach(p -> p.done().completeExceptionally(gone));
      Pending p;
      while ((p = queue.poll()) != null) {
        if (p != STOP) {
          p.done().completeExceptionally(gone);
        }
      }
    }
  }

  private static long size(Pending p) {
    return p.input().outcome().raw().bytes().length;
  }

  private void write(List<Pending> batch) {
    try {
      StoreResult r = store.store(batch.stream().map(Pending::input).toList());
      batch.forEach(p -> p.done().complete(r));
    } catch (Throwable e) { // StorageException, or worse: either way nothing was acknowledged
      batch.forEach(p -> p.done().completeExceptionally(e));
      if (e instanceof Error error) {
        throw error;
      }
    }
  }

  /** Stores what was handed in already, then stops the writer. */
  @Override
  public void close() {
    closed = true;
    try {
      queue.put(STOP);
      writer.join(TimeUnit.MINUTES.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package org.tlsrpt.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Group commit: many threads hand in items, one writer thread takes whatever is waiting (within the
 * batch limits), writes it in one go, and then releases every thread of the batch with the write's
 * result. A thread returns only once its item is written, or learns it was not. Nobody waits
 * forever: a failed write, an {@link Error}, or shutdown fails the items still waiting.
 *
 * @param <T> an item
 * @param <R> what a write returns to every thread of its batch
 */
public final class GroupCommit<T, R> implements AutoCloseable {
  /** Writes one batch; throws when nothing of it may be counted as written. */
  @FunctionalInterface
  public interface Writer<T, R> {
    R write(List<T> batch) throws Exception;
  }

  private record Pending<T, R>(T item, CompletableFuture<R> done) {}

  private final Pending<T, R> stop = new Pending<>(null, null);
  private final Writer<T, R> writer;
  private final int maxBatch;
  private final long maxBatchBytes;
  private final ToLongFunction<T> size;
  private final String failure;
  private final BlockingQueue<Pending<T, R>> queue;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean stopped;

  /**
   * @param maxBatch items per write at most
   * @param maxBatchBytes bytes per write at most, as {@code size} counts them
   * @param maxWaiting items waiting for the writer at most; threads beyond it wait for room
   * @param failure how a failed write is explained to the threads, before its cause
   */
  public GroupCommit(
      String threadName,
      int maxBatch,
      long maxBatchBytes,
      ToLongFunction<T> size,
      int maxWaiting,
      String failure,
      Writer<T, R> writer) {
    this.writer = writer;
    this.maxBatch = maxBatch;
    this.maxBatchBytes = maxBatchBytes;
    this.size = size;
    this.failure = failure;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, maxWaiting));
    this.thread = Thread.ofPlatform().name(threadName).start(this::run);
  }

  /**
   * Hands in one item and returns once it is written.
   *
   * @return what the write of its batch returned
   * @throws TryLaterException the write failed, or this is shutting down
   */
  public R submit(T item) throws TryLaterException {
    if (closed || stopped) {
      throw shuttingDown();
    }
    CompletableFuture<R> done = new CompletableFuture<>();
    try {
      queue.put(new Pending<>(item, done));
      if (stopped) {
        // the writer may have stopped before it saw this one
        done.completeExceptionally(shuttingDown());
      }
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TryLaterException("interrupted while waiting for the write", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TryLaterException t) {
        throw t;
      }
      throw new TryLaterException(failure + ": " + cause.getMessage(), cause);
    }
  }

  private static TryLaterException shuttingDown() {
    return new TryLaterException("tlsrpt is shutting down", null);
  }

  private void run() {
    List<Pending<T, R>> batch = new ArrayList<>();
    try {
      while (true) {
        Pending<T, R> first = queue.take();
        if (first == stop) {
          return;
        }
        batch.add(first);
        long bytes = size.applyAsLong(first.item());
        // whatever else is waiting joins this write, up to the batch limits
        Pending<T, R> next;
        while (batch.size() < maxBatch && bytes < maxBatchBytes && (next = queue.poll()) != null) {
          if (next == stop) {
            write(batch);
            return;
          }
          batch.add(next);
          bytes += size.applyAsLong(next.item());
        }
        write(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped = true;
      TryLaterException gone = shuttingDown();
      batch.forEach(p -> p.done().completeExceptionally(gone));
      Pending<T, R> p;
      while ((p = queue.poll()) != null) {
        if (p != stop) {
          p.done().completeExceptionally(gone);
        }
      }
    }
  }

  private void write(List<Pending<T, R>> batch) {
    try {
      R r = writer.write(batch.stream().map(Pending::item).toList());
      batch.forEach(p -> p.done().complete(r));
    } catch (Throwable e) { // the write failed, or worse: either way nothing was acknowledged
      batch.forEach(p -> p.done().completeExceptionally(e));
      if (e instanceof Error error) {
        throw error;
      }
    }
  }

  /** Whether the writer has stopped (after {@link #close()}, or an {@link Error}). */
  public boolean stopped() {
    return stopped && !thread.isAlive();
  }

  /** Writes what was handed in already (waiting up to a minute), then stops the writer. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(stop);
      thread.join(TimeUnit.MINUTES.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

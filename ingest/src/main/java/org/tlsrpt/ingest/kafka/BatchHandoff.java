package org.tlsrpt.ingest.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the poll thread and the writer thread share: the one batch waiting for the writer, the
 * batches handed over and not yet finished, the rebalance epoch, the writer's request to rewind,
 * and whether the worker still runs.
 */
final class BatchHandoff {
  private final ArrayBlockingQueue<ConsumedBatch> waiting = new ArrayBlockingQueue<>(1);

  /** Changes at every rebalance: work of an older epoch is neither retried nor committed. */
  private final AtomicLong epoch = new AtomicLong();

  /** Batches handed to the writer and not yet finished (stored, or given up). */
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * Set by the writer when it gave up a batch of the current epoch (storage failing at shutdown, an
   * unexpected exception): later batches of that epoch must not be committed, since their offsets
   * lie past the batch given up; the poll thread starts again from the last commits.
   */
  private final AtomicBoolean rewindRequested = new AtomicBoolean();

  private volatile boolean running = true;

  long epoch() {
    return epoch.get();
  }

  /** False once a rebalance made the batch stale: it is delivered again from the commits. */
  boolean current(ConsumedBatch b) {
    return b.epoch() == epoch.get();
  }

  /** Hands a batch to the writer if it can take it now. */
  boolean offer(ConsumedBatch b) {
    inFlight.incrementAndGet();
    if (waiting.offer(b)) {
      return true;
    }
    inFlight.decrementAndGet();
    return false;
  }

  /** Hands a batch to the writer, waiting up to a second for it to take it. */
  void offerWhileStopping(ConsumedBatch b) throws InterruptedException {
    inFlight.incrementAndGet();
    if (!waiting.offer(b, 1, TimeUnit.SECONDS)) {
      inFlight.decrementAndGet();
    }
  }

  /** The next batch for the writer, or null after 100 ms. */
  ConsumedBatch next() throws InterruptedException {
    return waiting.poll(100, TimeUnit.MILLISECONDS);
  }

  boolean nothingWaiting() {
    return waiting.isEmpty();
  }

  /** The writer finished a batch it took (stored it, or gave it up). */
  void finished() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Starts a new epoch and drops the batch waiting for the writer. */
  void newEpoch() {
    epoch.incrementAndGet();
    List<ConsumedBatch> dropped = new ArrayList<>();
    waiting.drainTo(dropped);
    inFlight.addAndGet(-dropped.size());
  }

  void requestRewind() {
    rewindRequested.set(true);
  }

  /** Whether the writer asked for a rewind since the last call. */
  boolean takeRewindRequest() {
    return rewindRequested.getAndSet(false);
  }

  boolean running() {
    return running;
  }

  void stop() {
    running = false;
  }
}

package org.tlsrpt.ingest.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.BatchWriter;
import org.tlsrpt.ingest.SetAside;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.storage.Incoming;

/**
 * The worker's writer thread: stores each batch handed over through the {@link BatchWriter}, copies
 * its rejected inputs to the dead-letter topic, and queues its offsets to be committed; a batch of
 * the current epoch that it gives up makes the poll thread rewind.
 */
final class WriterLoop {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);

  private final BatchHandoff handoff;
  private final CommitTracker commits;
  private final BatchWriter batches;
  private final DeadLetterSender deadLetters;
  private final WorkerFigures figures;

  WriterLoop(
      BatchHandoff handoff,
      CommitTracker commits,
      BatchWriter batches,
      DeadLetterSender deadLetters,
      WorkerFigures figures) {
    this.handoff = handoff;
    this.commits = commits;
    this.batches = batches;
    this.deadLetters = deadLetters;
    this.figures = figures;
  }

  /** Runs until the worker stops and the poll thread is gone. */
  void run(BooleanSupplier pollerAlive) {
    long givenUp = -1; // an epoch with a batch given up: its later batches are not committed
    while (handoff.running() || !handoff.nothingWaiting() || pollerAlive.getAsBoolean()) {
      ConsumedBatch b;
      try {
        b = handoff.next();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (b == null) {
        if (!pollerAlive.getAsBoolean()) {
          return;
        }
        continue;
      }
      boolean finished = false;
      try {
        if (b.epoch() != givenUp) {
          List<ConsumedItem> items = write(b);
          if (items != null && deadLetters.send(b, items)) {
            commits.stored(new StoredBatch(b.epoch(), b.ends(), b.items().size()));
            finished = true;
          }
        }
      } catch (RuntimeException | Error e) {
        LOG.error("the worker could not write a batch; it will be delivered again", e);
      } finally {
        if (!finished && b.epoch() != givenUp && handoff.current(b)) {
          givenUp = b.epoch();
          handoff.requestRewind();
        }
        handoff.finished();
      }
    }
  }

  /**
   * Stores a batch through the batch writer (retrying while storage fails, setting aside the inputs
   * it refuses on their own). Returns the items as finally stored (the ones set aside become
   * unprocessable and go to the dead-letter topic), or null when the batch was given up (rebalance
   * or shutdown).
   */
  private List<ConsumedItem> write(ConsumedBatch b) {
    if (!handoff.current(b)) {
      return null;
    }
    List<ConsumedItem> items = b.items();
    List<Integer> at = new ArrayList<>(items.size());
    List<Incoming> incoming = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).incoming() != null) {
        at.add(i);
        incoming.add(items.get(i).incoming());
      }
    }
    BatchWriter.Written w = batches.write(incoming, () -> handoff.current(b) && handoff.running());
    if (w == null) {
      return null;
    }
    figures.count(w.result());
    if (w.setAside().isEmpty()) {
      return items;
    }
    List<ConsumedItem> out = new ArrayList<>(items);
    for (SetAside s : w.setAside()) {
      int i = at.get(s.index());
      ConsumedItem it = items.get(i);
      figures.unprocessable.increment();
      if (!s.stored()) {
        LOG.error(
            "could not keep record {}-{}@{} as rejected either; it is in the dead-letter topic only",
            it.record().topic(),
            it.record().partition(),
            it.record().offset());
      }
      out.set(i, it.withDeadLetter(s.kept(), RejectCode.UNPROCESSABLE.wire(), s.reason()));
    }
    return out;
  }
}

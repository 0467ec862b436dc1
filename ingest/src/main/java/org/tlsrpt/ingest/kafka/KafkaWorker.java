package org.tlsrpt.ingest.kafka;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.tlsrpt.ingest.BatchWriter;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.ReportStore;

/**
 * {@code tlsrpt worker}'s engine: consumes the raw-input topic in a consumer group, parses each
 * input again (as the spool loader does), writes a batch to ClickHouse, copies rejected and
 * unprocessable inputs to the dead-letter topic, and only then commits the batch's offsets.
 *
 * <p>Two threads: the poll thread owns the consumer (poll, parse, commit) and the writer thread
 * stores one batch while the next is parsed. When the writer is busy, the poll thread pauses its
 * partitions and keeps polling, so it stays in the group while storage is down. Batches go through
 * the {@link BatchWriter} shared with the spool loader: a write that fails is retried with backoff,
 * without committing, for as long as storage is down or asks for time; a batch storage keeps
 * refusing while it answers is split down to the inputs it refuses on their own, which are kept as
 * rejected ({@code unprocessable}) and dead-lettered, so no input blocks its partition. Redelivered
 * inputs are harmless: the store is idempotent (ADR 0004).
 */
public final class KafkaWorker implements AutoCloseable {

  /** The first wait after a failed write or dead-letter send; it doubles up to the longest. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private final KafkaConsumer<String, byte[]> consumer;
  private final BatchWriter batches;
  private final DeadLetterSender deadLetters;
  private final BatchHandoff handoff = new BatchHandoff();
  private final CommitTracker commits = new CommitTracker();
  private final WorkerFigures figures = new WorkerFigures();
  private final PollLoop pollLoop;
  private final Thread poller;
  private final Thread writer;

  public KafkaWorker(
      KafkaClients clients, WorkerOptions options, ReportParser parser, ReportStore store) {
    this.batches = new BatchWriter(store, options.limits(), "inputs");
    this.consumer =
        new KafkaConsumer<>(
            clients.consumer(options.group(), options.maxBatch(), options.maxBatchBytes()));
    try {
      this.deadLetters =
          new DeadLetterSender(
              new KafkaProducer<>(
                  clients.deadLetterProducer(
                      "tlsrpt-worker-dead-letters",
                      Math.min(Integer.MAX_VALUE, options.maxBatchBytes() + (64 << 10)))),
              options,
              handoff,
              figures);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    WriterLoop writeLoop = new WriterLoop(handoff, commits, batches, deadLetters, figures);
    this.writer =
        Thread.ofPlatform()
            .name("tlsrpt-worker-writer")
            .unstarted(() -> writeLoop.run(this::pollerAlive));
    this.pollLoop =
        new PollLoop(
            consumer,
            options,
            handoff,
            commits,
            new RecordParser(parser, figures),
            figures,
            writer);
    this.poller = Thread.ofPlatform().name("tlsrpt-worker-poller").unstarted(pollLoop::run);
  }

  private boolean pollerAlive() {
    return poller.isAlive();
  }

  /** Joins the group and starts consuming. */
  public KafkaWorker start() {
    writer.start();
    poller.start();
    return this;
  }

  // ---------------------------------------------------------------- figures

  /** Records consumed (each delivery counts). */
  public long consumed() {
    return figures.consumed.sum();
  }

  /** Reports newly stored (duplicates not included). */
  public long stored() {
    return figures.stored.sum();
  }

  public long duplicates() {
    return figures.duplicates.sum();
  }

  public long rejected() {
    return figures.rejected.sum();
  }

  public long quarantined() {
    return figures.quarantined.sum();
  }

  public long deadLettered() {
    return figures.deadLettered.sum();
  }

  /** Records that could not be processed (unreadable, or refused alone by storage). */
  public long unprocessable() {
    return figures.unprocessable.sum();
  }

  /** Failed attempts to write (retried, split or set aside). */
  public long storeFailures() {
    return batches.failures();
  }

  public long deadLetterFailures() {
    return figures.deadLetterFailures.sum();
  }

  public long commits() {
    return commits.commits();
  }

  /** Records of the assigned partitions not yet stored and committed (updated every second). */
  public long lag() {
    return pollLoop.lag();
  }

  /** The partitions this worker holds now. */
  public Set<TopicPartition> assignment() {
    return pollLoop.assignment();
  }

  public boolean running() {
    return handoff.running() && poller.isAlive();
  }

  /**
   * Stops consuming, stores and commits what was taken (unless storage fails: then it is delivered
   * again), leaves the group.
   */
  @Override
  public void close() {
    handoff.stop();
    try {
      poller.join(TimeUnit.MINUTES.toMillis(1));
      if (poller.isAlive()) {
        consumer.wakeup();
        poller.join(TimeUnit.SECONDS.toMillis(15));
      }
      writer.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadLetters.close();
  }
}

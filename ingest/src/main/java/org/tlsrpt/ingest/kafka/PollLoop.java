package org.tlsrpt.ingest.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's poll thread: owns the consumer (poll, parse, commit), builds batches and hands them
 * to the writer; when the writer is busy it pauses its partitions and keeps polling, so it stays in
 * the group while storage is down.
 */
final class PollLoop {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final WorkerOptions options;
  private final BatchHandoff handoff;
  private final CommitTracker commits;
  private final RecordParser records;
  private final WorkerFigures figures;
  private final Thread writer;

  private volatile long lag;
  private volatile Set<TopicPartition> assignment = Set.of();

  // poll thread only
  private List<ConsumedItem> building = new ArrayList<>();
  private Map<TopicPartition, OffsetAndMetadata> buildingEnds = new HashMap<>();
  private long buildingBytes;
  private long buildingSince;
  private ConsumedBatch ready;
  private boolean paused;
  private long lastLagUpdate;

  PollLoop(
      KafkaConsumer<String, byte[]> consumer,
      WorkerOptions options,
      BatchHandoff handoff,
      CommitTracker commits,
      RecordParser records,
      WorkerFigures figures,
      Thread writer) {
    this.consumer = consumer;
    this.options = options;
    this.handoff = handoff;
    this.commits = commits;
    this.records = records;
    this.figures = figures;
    this.writer = writer;
  }

  void run() {
    try {
      consumer.subscribe(List.of(options.topic()), new WorkerRebalance(this, handoff, writer));
      while (handoff.running()) {
        commitDone();
        if (handoff.takeRewindRequest()) {
          rewind();
        }
        handOff();
        ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<String, byte[]> r : polled) {
          add(r);
        }
        if (!building.isEmpty()
            && ready == null
            && (building.size() >= options.maxBatch()
                || buildingBytes >= options.maxBatchBytes()
                || polled.isEmpty()
                || System.nanoTime() - buildingSince > TimeUnit.MILLISECONDS.toNanos(200))) {
          ready = new ConsumedBatch(handoff.epoch(), building, buildingEnds);
          building = new ArrayList<>();
          buildingEnds = new HashMap<>();
          buildingBytes = 0;
          handOff();
        }
        updateLag();
      }
      // stopping: hand over what is parsed, let the writer finish, commit what it stored
      if (ready != null) {
        handoff.offerWhileStopping(ready);
      }
      // stopping: the writer gets a bounded time to finish; what it does not finish is not
      // committed and is delivered again
      long stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (writer.isAlive() && handoff.inFlight() > 0 && System.nanoTime() < stopDeadline) {
        writer.join(50);
      }
      commitDone();
    } catch (WakeupException e) {
      // close() while polling
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("the worker's consumer stopped: {}", e.toString(), e);
    } finally {
      handoff.stop();
      try {
        consumer.close(
            org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        LOG.warn("closing the consumer: {}", e.toString());
      }
    }
  }

  private void add(ConsumerRecord<String, byte[]> r) {
    if (building.isEmpty()) {
      buildingSince = System.nanoTime();
    }
    figures.consumed.increment();
    building.add(records.parse(r));
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    commits.taken(tp, r.offset());
    buildingEnds.put(tp, new OffsetAndMetadata(r.offset() + 1));
    buildingBytes += r.value() == null ? 0 : r.value().length;
  }

  /** Gives the ready batch to the writer, or pauses consumption until the writer can take it. */
  private void handOff() {
    if (ready == null) {
      return;
    }
    if (handoff.offer(ready)) {
      ready = null;
      if (paused) {
        consumer.resume(consumer.assignment());
        paused = false;
      }
    } else {
      if (!paused) {
        consumer.pause(consumer.assignment());
        paused = true;
      }
    }
  }

  void commitDone() {
    commits.commit(consumer, handoff.epoch());
  }

  private void updateLag() {
    long now = System.nanoTime();
    if (now - lastLagUpdate < TimeUnit.SECONDS.toNanos(1)) {
      return;
    }
    lastLagUpdate = now;
    long behind = 0;
    Set<TopicPartition> owned = consumer.assignment();
    for (TopicPartition tp : owned) {
      behind += consumer.currentLag(tp).orElse(0);
    }
    assignment = Set.copyOf(owned);
    lag = behind + commits.uncommitted();
  }

  /** Partitions were assigned: resumes consuming if paused. */
  void assigned() {
    assignment = Set.copyOf(consumer.assignment());
    if (paused) {
      consumer.resume(consumer.assignment());
      paused = false;
    }
  }

  /** Drops all uncommitted work: it is delivered again from the committed offsets. */
  void forget() {
    handoff.newEpoch();
    commits.forget();
    ready = null;
    building = new ArrayList<>();
    buildingEnds = new HashMap<>();
    buildingBytes = 0;
    assignment = Set.of();
  }

  /**
   * The writer gave up a batch that is still current: commits what was stored before it, drops all
   * later work (a new epoch, so nothing of the old one is committed) and goes back to the first
   * uncommitted offset of every partition, so the batch given up is delivered again rather than
   * skipped by the commit of a later one.
   */
  private void rewind() {
    commitDone();
    Map<TopicPartition, Long> to = commits.rewindPoints();
    Set<TopicPartition> owned = consumer.assignment();
    forget();
    assignment = Set.copyOf(owned);
    to.forEach(
        (tp, offset) -> {
          if (owned.contains(tp)) {
            consumer.seek(tp, offset);
          }
        });
    if (paused) {
      consumer.resume(owned);
      paused = false;
    }
    LOG.warn("a batch was not stored; consuming again from the last commit: {}", to);
  }

  /** Records of the assigned partitions not yet stored and committed (updated every second). */
  long lag() {
    return lag;
  }

  Set<TopicPartition> assignment() {
    return assignment;
  }
}

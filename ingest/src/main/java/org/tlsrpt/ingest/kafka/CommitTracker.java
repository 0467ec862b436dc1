package org.tlsrpt.ingest.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which offsets are taken, stored and committed: the writer queues the batches it finished, the
 * poll thread commits them, and remembers per partition where to restart to deliver again
 * everything not yet committed.
 */
final class CommitTracker {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);

  private final ConcurrentLinkedQueue<StoredBatch> done = new ConcurrentLinkedQueue<>();

  /**
   * Per partition, where to restart to deliver again everything not yet committed: the end of the
   * last commit, or the first record taken since the partitions were assigned (poll thread only).
   */
  private final Map<TopicPartition, Long> rewindTo = new HashMap<>();

  private final LongAdder commits = new LongAdder();
  private volatile long uncommitted;

  /** The poll thread took a record (poll thread only). */
  void taken(TopicPartition tp, long offset) {
    rewindTo.putIfAbsent(tp, offset);
    uncommitted++;
  }

  /** The writer finished a batch: its offsets can be committed. */
  void stored(StoredBatch b) {
    done.add(b);
  }

  /** Commits the offsets of the batches finished in the epoch (poll thread only). */
  void commit(KafkaConsumer<String, byte[]> consumer, long epoch) {
    Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
    int records = 0;
    StoredBatch d;
    while ((d = done.poll()) != null) {
      if (d.epoch() == epoch) {
        // a commit retried after a timeout is queued behind newer ones: keep the furthest offset
        d.ends().forEach((tp, o) -> ends.merge(tp, o, (a, b) -> a.offset() >= b.offset() ? a : b));
        records += d.records();
      }
    }
    if (ends.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(ends);
      ends.forEach((tp, o) -> rewindTo.put(tp, o.offset()));
      commits.increment();
      uncommitted = Math.max(0, uncommitted - records);
    } catch (org.apache.kafka.common.errors.RetriableException e) {
      // the broker did not answer in time: the same offsets are committed at the next turn
      LOG.warn("could not commit offsets now ({}); trying again", e.toString());
      done.add(new StoredBatch(epoch, ends, records));
    } catch (KafkaException e) {
      // a rebalance took the partitions: the new owner stores them again, idempotently
      LOG.warn("could not commit offsets ({}); those inputs will be delivered again", e.toString());
    }
  }

  /** Where to restart each partition to deliver again all that is not committed. */
  Map<TopicPartition, Long> rewindPoints() {
    return new HashMap<>(rewindTo);
  }

  /** Drops all uncommitted work: it is delivered again from the committed offsets. */
  void forget() {
    done.clear();
    uncommitted = 0;
    rewindTo.clear();
  }

  /** Records taken and not yet committed. */
  long uncommitted() {
    return uncommitted;
  }

  long commits() {
    return commits.sum();
  }
}

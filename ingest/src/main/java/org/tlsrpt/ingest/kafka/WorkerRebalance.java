package org.tlsrpt.ingest.kafka;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Eager rebalancing: all partitions are revoked, then positions restart from commits. */
final class WorkerRebalance implements ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);

  private final PollLoop poller;
  private final BatchHandoff handoff;
  private final Thread writer;

  WorkerRebalance(PollLoop poller, BatchHandoff handoff, Thread writer) {
    this.poller = poller;
    this.handoff = handoff;
    this.writer = writer;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    // let the writer finish the batch in hand (if storage answers), so less is delivered twice
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (handoff.inFlight() > 0 && System.nanoTime() < deadline && writer.isAlive()) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    poller.commitDone();
    poller.forget();
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    poller.forget();
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    poller.assigned();
    LOG.info("worker assigned {} partition(s): {}", partitions.size(), partitions);
  }
}

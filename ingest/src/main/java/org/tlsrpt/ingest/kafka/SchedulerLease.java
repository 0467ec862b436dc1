package org.tlsrpt.ingest.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of the workers runs the scheduled jobs (the alert rules that need history, the posture
 * watch): the one the broker assigns the single partition of the scheduler topic, in a consumer
 * group of its own. Nothing is ever read from the topic; membership is the lease, and the sticky
 * assignor leaves it with its holder when other workers join. A worker that stops leaves the group
 * at once; one that is killed is dropped after {@code session}, and the broker then hands the
 * partition, and the jobs, to another.
 *
 * <p>The lease is also given up by a worker that has not heard from the broker for {@code session}
 * (a network split): it then stops leading before the broker can have picked another, so two
 * workers never run the jobs at once for longer than one poll.
 */
public final class SchedulerLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLease.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final long sessionNanos;
  private final AtomicBoolean assigned = new AtomicBoolean();
  private volatile long lastPoll = System.nanoTime();
  private volatile boolean running = true;
  private final Thread poller;
  private final List<Runnable> onTaken = new CopyOnWriteArrayList<>();

  /**
   * Joins the group; {@link #getAsBoolean} turns true once the broker assigns this worker the
   * partition.
   *
   * @param topic a topic with one partition (see {@link KafkaTopics#ensure})
   * @param group the scheduler's consumer group, apart from the workers' own
   * @param session how long the broker waits for a silent member before handing its lease on
   */
  public SchedulerLease(KafkaClients clients, String topic, String group, Duration session) {
    Map<String, Object> p = clients.consumer(group, 1, 1 << 20);
    int ms = (int) session.toMillis();
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ms);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, ms / 5));
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Math.max(ms, 30_000));
    // sticky and cooperative: a worker that joins does not take the lease from the one that holds
    // it (no needless hand-over, no instant where the jobs move for nothing)
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    this.consumer = new KafkaConsumer<>(p);
    this.topic = topic;
    this.sessionNanos = session.toNanos();
    this.poller = Thread.ofPlatform().name("tlsrpt-scheduler-lease").daemon().unstarted(this::run);
    poller.start();
  }

  private void run() {
    try {
      consumer.subscribe(
          List.of(topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              if (!partitions.isEmpty()) {
                change(false);
              }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              change(!consumer.assignment().isEmpty());
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
              change(false);
            }
          });
      while (running) {
        consumer.poll(Duration.ofMillis(500)); // keeps the membership; nothing is ever written
        lastPoll = System.nanoTime();
      }
    } catch (WakeupException e) {
      // close() woke the poll
    } catch (RuntimeException e) {
      LOG.warn("the scheduler lease stopped: {}; this worker runs no scheduled job", e.toString());
    } finally {
      change(false);
      try {
        // leaves the group: another worker takes over now
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.warn("closing the scheduler lease's consumer: {}", e.toString());
      }
    }
  }

  private void change(boolean leading) {
    if (assigned.getAndSet(leading) != leading) {
      LOG.info(
          leading
              ? "this worker now runs the scheduled jobs (alert rules, posture watch)"
              : "this worker no longer runs the scheduled jobs");
      if (leading) {
        for (Runnable r : onTaken) {
          try {
            r.run();
          } catch (RuntimeException e) {
            LOG.warn("a job starting on the scheduler lease failed: {}", e.toString());
          }
        }
      }
    }
  }

  /** True while this worker holds the lease and has heard from the broker within the session. */
  public boolean held() {
    return assigned.get() && System.nanoTime() - lastPoll < sessionNanos;
  }

  /**
   * Calls {@code r} on the lease's thread each time this worker takes the lease (hand work off).
   */
  public void whenTaken(Runnable r) {
    onTaken.add(r);
  }

  /** Gives the lease up (another worker takes over at once) and stops the poller. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

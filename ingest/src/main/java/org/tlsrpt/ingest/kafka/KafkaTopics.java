package org.tlsrpt.ingest.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the pipeline's topics when they are missing. */
public final class KafkaTopics {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

  private KafkaTopics() {}

  /**
   * Waits until every partition of new topics has a leader the brokers know of: an idempotent
   * producer that sends before that can be refused with NOT_LEADER_OR_FOLLOWER and then get stuck
   * on out-of-order sequence numbers.
   */
  private static void awaitLeaders(Admin admin, List<String> topics)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        boolean ready =
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && !p.isr().isEmpty());
        if (ready) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause()
            instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the partitions of " + topics + " have no leader after 30 s");
      }
      Thread.sleep(100);
    }
  }

  /**
   * Creates the topics that do not exist yet.
   *
   * @param maxRecordBytes the largest record the topics must take ({@code max.message.bytes})
   * @throws IllegalStateException the brokers cannot be reached or refuse, with what to check
   */
  public static void ensure(
      KafkaClients clients,
      Collection<String> topics,
      int partitions,
      short replicationFactor,
      long maxRecordBytes) {
    try (Admin admin = Admin.create(clients.admin())) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String t : topics) {
        if (!existing.contains(t)) {
          missing.add(
              new NewTopic(t, partitions, replicationFactor)
                  .configs(
                      Map.of(
                          TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                          Long.toString(Math.min(Integer.MAX_VALUE, maxRecordBytes)),
                          TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                          Integer.toString(Math.min(2, Math.max(1, replicationFactor - 1))))));
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        LOG.info(
            "created Kafka topics {} ({} partitions, replication factor {})",
            missing.stream().map(NewTopic::name).toList(),
            partitions,
            replicationFactor);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) { // another node was faster: fine
          throw e;
        }
      }
      awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "could not check or create the Kafka topics "
              + topics
              + " on "
              + clients.bootstrap()
              + ": "
              + c
              + " (are the brokers reachable? kafka.bootstrap / TLSRPT_KAFKA_BOOTSTRAP)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the Kafka topics", e);
    }
  }
}

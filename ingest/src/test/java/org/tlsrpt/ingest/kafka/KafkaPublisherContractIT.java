package org.tlsrpt.ingest.kafka;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.DurableStoreContract;
import org.tlsrpt.testkit.FreePorts;
import org.tlsrpt.testkit.KafkaBrokerExtension;

/**
 * The ingest node's store: a real broker (a separate JVM from the Maven Central jars); held means
 * on the topic, read from its start by a new consumer; unavailable is a bootstrap address nothing
 * listens on, with a short send timeout.
 */
class KafkaPublisherContractIT implements DurableStoreContract {
  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  private static KafkaClients clients;

  private String topic;
  private KafkaPublisher publisher;
  private KafkaPublisher unreachable;

  @BeforeAll
  static void connect() {
    clients = new KafkaClients(kafka.bootstrap(), Map.of());
  }

  @BeforeEach
  void open() {
    topic = "contract-" + UUID.randomUUID();
    KafkaTopics.ensure(clients, List.of(topic), 2, (short) 1, 1 << 20);
    publisher = new KafkaPublisher(clients, topic, 1 << 20, "lz4", 10_000);
  }

  @AfterEach
  void close() {
    publisher.close();
    if (unreachable != null) {
      unreachable.close();
    }
  }

  @Override
  public DurableStore store() {
    return publisher;
  }

  @Override
  public Set<String> held() throws Exception {
    Set<String> shas = new HashSet<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            clients.consumer("contract-reader-" + UUID.randomUUID(), 500, 1 << 20))) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the topic could not be read to its end in 30 s");
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          shas.add(DurableStoreContract.sha256(PipelineRecord.read(r).raw()));
        }
      }
    }
    return shas;
  }

  @Override
  public DurableStore unavailable() {
    unreachable =
        new KafkaPublisher(
            new KafkaClients("127.0.0.1:" + FreePorts.tcp(), Map.of()),
            topic,
            1 << 20,
            "lz4",
            2_000);
    return unreachable;
  }
}

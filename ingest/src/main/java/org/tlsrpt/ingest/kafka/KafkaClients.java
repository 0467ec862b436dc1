package org.tlsrpt.ingest.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client settings every tlsrpt Kafka client shares: the brokers and the operator's extra
 * properties (security), plus what each role needs for "nothing acknowledged before it is durable".
 *
 * @param bootstrap comma-separated host:port list
 * @param extra the operator's client properties (security.protocol, ssl.*, sasl.*), applied last
 */
public record KafkaClients(String bootstrap, Map<String, String> extra) {
  public KafkaClients {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("no Kafka brokers given (kafka.bootstrap)");
    }
    extra = Map.copyOf(extra);
  }

  public Map<String, Object> admin() {
    Map<String, Object> p = new HashMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.putAll(extra);
    return p;
  }

  /**
   * An idempotent producer that waits for every in-sync replica ({@code acks=all}).
   *
   * @param maxRecordBytes the largest record it must be able to send
   * @param sendTimeoutMillis how long a send may take, retries included
   */
  public Map<String, Object> producer(
      String clientId, long maxRecordBytes, String compression, long sendTimeoutMillis) {
    Map<String, Object> p = new HashMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // one request in flight per broker: a first batch refused (a partition whose leader is still
    // being set up) is retried before any later one is sent. With several in flight, the
    // benchmark saw the producer loop on OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    int maxRequest = (int) Math.min(Integer.MAX_VALUE, maxRecordBytes);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 2L * maxRequest));
    long timeout = Math.max(2_000, sendTimeoutMillis);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout));
    p.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(30_000, Math.max(1_000, timeout - 10)));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.putAll(extra);
    return p;
  }

  /**
   * A consumer that commits only by hand, reads only committed transactions' records, and fetches
   * at most {@code maxBatch} records and {@code maxBatchBytes} bytes per poll.
   */
  public Map<String, Object> consumer(String group, int maxBatch, long maxBatchBytes) {
    Map<String, Object> p = new HashMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxBatch);
    int bytes = (int) Math.min(Integer.MAX_VALUE, Math.max(1 << 20, maxBatchBytes));
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, bytes);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(1 << 20, bytes / 4));
    // eager rebalancing: after any rebalance, every position restarts from the committed offset
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.putAll(extra);
    return p;
  }

  /** A producer for the dead-letter topic: idempotent, {@code acks=all}. */
  public Map<String, Object> deadLetterProducer(String clientId, long maxRecordBytes) {
    return producer(clientId, maxRecordBytes, "lz4", 60_000);
  }
}

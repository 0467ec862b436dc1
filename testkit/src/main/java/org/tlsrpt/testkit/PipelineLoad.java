package org.tlsrpt.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Load for the Kafka pipeline, used by {@code tlsrpt bench kafka} and the pipeline tests: publishes
 * distinct synthetic report e-mails exactly as an ingest node does, and watches a consumer group's
 * committed offsets.
 */
public final class PipelineLoad {
  private PipelineLoad() {}

  /** What the published reports state, to check the stored totals against. */
  public record Totals(int reports, long successful, long failed) {}

  /**
   * Publishes {@code count} distinct report e-mails (report {@code first + i} of the synthetic
   * corpus made from {@code samples}) and waits for every acknowledgement.
   *
   * @param producer the producer's configuration (as an ingest node's)
   * @param record turns one report e-mail into the record an ingest node would publish
   * @param progress called with the number published so far, every 10,000
   */
  public static Totals publish(
      Map<String, Object> producer,
      Function<byte[], ProducerRecord<String, byte[]>> record,
      List<SampleReport> samples,
      int first,
      int count,
      LongConsumer progress)
      throws InterruptedException, ExecutionException, TimeoutException {
    Random random = new Random(42L + first);
    long ok = 0;
    long failed = 0;
    try (KafkaProducer<String, byte[]> out = new KafkaProducer<>(producer)) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SyntheticCorpus.Report r = SyntheticCorpus.report(samples, random, first + i, 2);
        ok += r.successful();
        failed += r.failed();
        acks.add(out.send(record.apply(r.eml())));
        if ((i + 1) % 10_000 == 0) {
          for (Future<RecordMetadata> a : acks) {
            a.get(2, TimeUnit.MINUTES);
          }
          acks.clear();
          progress.accept(i + 1);
        }
      }
      for (Future<RecordMetadata> a : acks) {
        a.get(2, TimeUnit.MINUTES);
      }
    }
    return new Totals(count, ok, failed);
  }

  /** Records in {@code topic} the group has not committed yet (all of them if it never did). */
  public static long groupLag(Admin admin, String topic, String group)
      throws InterruptedException, ExecutionException, TimeoutException {
    Set<TopicPartition> parts =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .collect(Collectors.toSet());
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin
            .listOffsets(parts.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
            .all()
            .get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, group);
    long lag = 0;
    for (TopicPartition p : parts) {
      OffsetAndMetadata c = committed.get(p);
      lag += ends.get(p).offset() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  /** The group's committed offsets. */
  public static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> m =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> out = new java.util.HashMap<>();
    m.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Waits until the group has committed everything in the topic; false on timeout. */
  public static boolean awaitDrained(Admin admin, String topic, String group, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (groupLag(admin, topic, group) == 0) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}

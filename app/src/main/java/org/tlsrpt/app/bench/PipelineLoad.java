package org.tlsrpt.app.bench;

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
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.tlsrpt.ingest.Submission;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.PipelineRecord;

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
   * corpus) to {@code topic} and waits for every acknowledgement.
   *
   * @param progress called with the number published so far, every 10,000
   */
  public static Totals publish(
      KafkaClients clients, String topic, int first, int count, LongConsumer progress)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<BundledSamples.Sample> samples = BundledSamples.all();
    Random random = new Random(42L + first);
    long ok = 0;
    long failed = 0;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(clients.producer("tlsrpt-bench-load", 16L << 20, "lz4", 120_000))) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SyntheticCorpus.Report r = SyntheticCorpus.report(samples, random, first + i, 2);
        ok += r.successful();
        failed += r.failed();
        Submission s =
            Submission.mail(r.eml(), "smtp", Map.of("client", "127.0.0.1", "helo", "bench"));
        acks.add(producer.send(PipelineRecord.of(topic, s, "not-checked", null, null)));
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

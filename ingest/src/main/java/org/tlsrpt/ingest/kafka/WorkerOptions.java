package org.tlsrpt.ingest.kafka;

import java.time.Duration;
import org.tlsrpt.ingest.BatchLimits;
import org.tlsrpt.ingest.BatchWriter;

/**
 * What a Kafka worker consumes, and how much it writes together.
 *
 * @param maxBatch records written together at most
 * @param maxBatchBytes raw bytes written together at most
 * @param maxBackoffMillis longest wait between attempts while storage fails
 * @param isolateAfterRefusals refusals of a batch, while storage answers, before it is split to
 *     find the inputs storage refuses on their own
 */
public record WorkerOptions(
    String topic,
    String deadLetterTopic,
    String group,
    int maxBatch,
    long maxBatchBytes,
    long maxBackoffMillis,
    int isolateAfterRefusals) {
  /** With the default number of refusals before a batch is split. */
  public WorkerOptions(
      String topic,
      String deadLetterTopic,
      String group,
      int maxBatch,
      long maxBatchBytes,
      long maxBackoffMillis) {
    this(
        topic,
        deadLetterTopic,
        group,
        maxBatch,
        maxBatchBytes,
        maxBackoffMillis,
        BatchWriter.DEFAULT_ISOLATE_AFTER_REFUSALS);
  }

  /** The batch writer's limits: from 1 s, doubling up to {@code maxBackoffMillis}. */
  BatchLimits limits() {
    return new BatchLimits(
        KafkaWorker.FIRST_BACKOFF, Duration.ofMillis(maxBackoffMillis), isolateAfterRefusals);
  }
}

package org.tlsrpt.ingest.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.storage.engine.Backoff;

/**
 * Copies a batch's rejected and unprocessable inputs to the dead-letter topic, retrying with
 * backoff while Kafka fails, for as long as the batch is current and the worker runs.
 */
final class DeadLetterSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);

  private final KafkaProducer<String, byte[]> deadLetters;
  private final WorkerOptions options;
  private final BatchHandoff handoff;
  private final WorkerFigures figures;

  DeadLetterSender(
      KafkaProducer<String, byte[]> deadLetters,
      WorkerOptions options,
      BatchHandoff handoff,
      WorkerFigures figures) {
    this.deadLetters = deadLetters;
    this.options = options;
    this.handoff = handoff;
    this.figures = figures;
  }

  /** Copies the batch's rejected inputs to the dead-letter topic; false when given up. */
  boolean send(ConsumedBatch b, List<ConsumedItem> items) {
    List<ConsumedItem> dlq = items.stream().filter(i -> i.dlqCode() != null).toList();
    if (dlq.isEmpty()) {
      return true;
    }
    Backoff backoff =
        new Backoff(KafkaWorker.FIRST_BACKOFF, Duration.ofMillis(options.maxBackoffMillis()));
    while (true) {
      if (!handoff.current(b)) {
        return false;
      }
      try {
        List<Future<RecordMetadata>> acks = new ArrayList<>(dlq.size());
        for (ConsumedItem i : dlq) {
          acks.add(
              deadLetters.send(
                  PipelineRecord.deadLetter(
                      options.deadLetterTopic(), i.record(), i.dlqCode(), i.dlqReason())));
        }
        for (int n = 0; n < acks.size(); n++) {
          try {
            acks.get(n).get(30, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.RecordTooLargeException)) {
              throw e;
            }
            // retrying cannot help: copy it without its bytes (they stay in the rejected table)
            ConsumedItem i = dlq.get(n);
            deadLetters
                .send(
                    PipelineRecord.deadLetterWithoutValue(
                        options.deadLetterTopic(), i.record(), i.dlqCode(), i.dlqReason()))
                .get(30, TimeUnit.SECONDS);
          }
        }
        figures.deadLettered.add(dlq.size());
        return true;
      } catch (ExecutionException | TimeoutException | KafkaException e) {
        figures.deadLetterFailures.increment();
        Duration wait = backoff.next();
        LOG.warn(
            "could not copy {} inputs to the dead-letter topic ({}); trying again in {} ms",
            dlq.size(),
            e.toString(),
            wait.toMillis());
        if (!sleep(b, wait)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Waits before a retry; false when the batch is to be given up (stale, or stopping). */
  private boolean sleep(ConsumedBatch b, Duration wait) {
    if (!handoff.running()) {
      return false; // stopping: not stored now, so not committed; delivered again later
    }
    return Backoff.pause(wait, () -> handoff.current(b) && handoff.running());
  }

  @Override
  public void close() {
    deadLetters.close(Duration.ofSeconds(10));
  }
}

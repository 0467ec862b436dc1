package org.tlsrpt.ingest.kafka;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.TryLaterException;
import org.tlsrpt.parser.ParseOutcome;

/**
 * The intake's durable store on an ingest node: publishes each input to Kafka and returns only once
 * the broker has acknowledged it ({@code acks=all}, idempotent producer). Concurrent senders share
 * the producer's batches, so one round trip serves many of them.
 */
public final class KafkaPublisher implements DurableStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final long sendTimeoutMillis;
  private final LongAdder published = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private volatile long lastFailure;

  /**
   * @param maxRecordBytes the largest input a source accepts (records up to it must fit)
   */
  public KafkaPublisher(
      KafkaClients clients,
      String topic,
      long maxRecordBytes,
      String compression,
      long sendTimeoutMillis) {
    this.topic = topic;
    this.sendTimeoutMillis = sendTimeoutMillis;
    this.producer =
        new KafkaProducer<>(
            clients.producer(
                "tlsrpt-ingest", maxRecordBytes + (64 << 10), compression, sendTimeoutMillis));
  }

  @Override
  public Stored put(Envelope input, ParseOutcome outcome) throws TryLaterException {
    try {
      Future<RecordMetadata> ack =
          producer.send(PipelineRecord.of(topic, input, outcome.rawSha256()));
      ack.get(sendTimeoutMillis + 5_000, TimeUnit.MILLISECONDS);
      published.increment();
      return Stored.HANDED_ON;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      failed.increment();
      lastFailure = System.nanoTime();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      LOG.warn("Kafka did not acknowledge an input: {}", String.valueOf(cause));
      throw new TryLaterException("Kafka did not acknowledge the input: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed.increment();
      throw new TryLaterException("interrupted while waiting for Kafka", e);
    }
  }

  /** Inputs the broker acknowledged. */
  public long published() {
    return published.sum();
  }

  /** Inputs the broker did not acknowledge in time (the sender was told to try later). */
  public long failed() {
    return failed.sum();
  }

  /** Milliseconds since the broker last failed to acknowledge; Long.MAX_VALUE when never. */
  public long lastFailureAgeMillis() {
    return failed.sum() == 0
        ? Long.MAX_VALUE
        : java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFailure);
  }

  /** Waits for what is in flight (senders waiting on it get their answer), then closes. */
  @Override
  public void close() {
    producer.close(java.time.Duration.ofMillis(sendTimeoutMillis));
  }
}

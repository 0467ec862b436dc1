package org.tlsrpt.app.serve;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.tlsrpt.app.config.PipelineSettings;
import org.tlsrpt.ingest.DurableStore;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.KafkaPublisher;

/**
 * {@code pipeline.mode=kafka}: a sender is answered once Kafka acknowledged its input on {@code
 * kafka.topic}; {@code tlsrpt worker} processes store it.
 */
final class KafkaPipeline implements Pipeline {
  private final KafkaPublisher publisher;
  private final String description;

  private KafkaPipeline(KafkaPublisher publisher, String description) {
    this.publisher = publisher;
    this.description = description;
  }

  /** Creates the topics when asked to, then the producer. */
  static KafkaPipeline open(PipelineSettings p, OpenStore store) {
    KafkaClients clients = p.clients();
    p.ensureTopics(clients);
    return new KafkaPipeline(
        new KafkaPublisher(
            clients, p.topic(), p.maxRecordBytes(), p.compression(), p.sendTimeout().toMillis()),
        "publishing to Kafka topic "
            + p.topic()
            + " on "
            + p.kafkaBootstrap()
            + " (pipeline.mode=kafka; tlsrpt worker stores)"
            + (store.clickHouse() == null ? "" : "; reading " + store.description()));
  }

  @Override
  public DurableStore store() {
    return publisher;
  }

  @Override
  public String problem() {
    return publisher.failed() == 0 || publisher.lastFailureAgeMillis() > 60_000
        ? null
        : "Kafka did not acknowledge an input in the last minute";
  }

  @Override
  public void addMetrics(PrometheusRegistry registry) {
    SpooledPipeline.addSpoolMetrics(registry, () -> 0, () -> 0); // nothing waits in a spool
    CounterWithCallback.builder()
        .name("tlsrpt_kafka_published_total")
        .help("Inputs published to Kafka, by outcome: acknowledged, or failed (sender deferred)")
        .labelNames("outcome")
        .callback(
            cb -> {
              cb.call(publisher.published(), "acknowledged");
              cb.call(publisher.failed(), "failed");
            })
        .register(registry);
  }

  @Override
  public String describe() {
    return description;
  }

  /** Waits for what is in flight (senders get their answer), then closes the producer. */
  @Override
  public void close() {
    publisher.close();
  }
}

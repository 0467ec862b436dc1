package org.tlsrpt.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.IngestTestAccess;
import org.tlsrpt.ingest.RefusingClickHouse;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.testkit.KafkaBrokerExtension;
import org.tlsrpt.testkit.PipelineLoad;

/**
 * The spool loader's poisoned-input test for the Kafka worker: a real broker (a separate JVM from
 * the Maven Central jars) and the real embedded store, wrapped so that it refuses the rows of one
 * chosen report. The refused input is kept as rejected with its reason and dead-lettered, every
 * other input (one published after it included) is stored, and every offset is committed.
 */
class KafkaWorkerPoisonedInputIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String JSON = "application/tlsrpt+json";

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  @TempDir Path dir;

  private static KafkaClients clients;

  @BeforeAll
  static void connect() {
    clients = new KafkaClients(kafka.bootstrap(), Map.of());
  }

  private static Envelope mail(String sample, Source source) {
    return new Envelope(
        IngestTestAccess.bytes(IngestTestAccess.sample(sample)),
        source,
        Instant.parse("2026-11-01T10:00:00Z"),
        null,
        Map.of("client", "192.0.2.1"),
        DkimResult.NOT_CHECKED,
        null);
  }

  private static Envelope https(String sample) {
    return new Envelope(
        IngestTestAccess.bytes(IngestTestAccess.sample(sample)),
        Source.HTTPS,
        Instant.parse("2026-11-01T10:00:00Z"),
        JSON,
        Map.of("client", "192.0.2.2"),
        DkimResult.UNAUTHENTICATED,
        null);
  }

  private static ParseOutcome.Parsed parse(Envelope e) {
    return (ParseOutcome.Parsed) e.parse(new ReportParser());
  }

  private static long sessions(List<Envelope> inputs, boolean successful) {
    return inputs.stream()
        .flatMap(e -> parse(e).reports().stream())
        .flatMap(r -> r.report().policies().stream())
        .mapToLong((PolicyResult p) -> successful ? p.successfulSessions() : p.failedSessions())
        .sum();
  }

  private static void publish(String topic, Envelope... inputs) throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(clients.producer("test", 2 << 20, "none", 30_000))) {
      for (Envelope e : inputs) {
        p.send(PipelineRecord.of(topic, e, null)).get();
      }
    }
  }

  private static long committed(Admin admin, String group) throws Exception {
    return PipelineLoad.committed(admin, group).values().stream()
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(clients.consumer("reader-" + UUID.randomUUID(), 100, 1 << 20))) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void anInputStorageRefusesIsKeptAsRejectedAndDeadLetteredAndEverythingElseIsStored()
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String topic = "raw-" + run;
    String dlq = "dlq-" + run;
    String group = "group-" + run;
    KafkaTopics.ensure(clients, List.of(topic, dlq), 1, (short) 1, 1 << 20);
    Envelope before = mail("isseis__tlsrpt_failure.eml", Source.SMTP);
    Envelope poisoned = https("cry-inc__microsoft.json");
    Envelope after = mail("isseis__tlsrpt_success_microsoft.eml", Source.IMAP);
    Envelope later = https("parsedmarc__rfc8460.json");
    String refusedId = parse(poisoned).reports().getFirst().report().reportId();
    publish(topic, before, poisoned, after);

    try (IngestTestAccess store = IngestTestAccess.embedded(dir.resolve("store"));
        Admin admin = Admin.create(clients.admin())) {
      RefusingClickHouse refusing = new RefusingClickHouse(store.ch, refusedId);
      try (KafkaWorker w =
          new KafkaWorker(
                  clients,
                  new WorkerOptions(topic, dlq, group, 100, 1 << 20, 1_000),
                  new ReportParser(),
                  new ReportStore(refusing, "tlsrpt"))
              .start()) {
        assertThat(PipelineLoad.awaitDrained(admin, topic, group, WAIT)).isTrue();
        assertThat(committed(admin, group)).isEqualTo(3);
        // the partition goes on: an input published after the refused one is stored too
        publish(topic, later);
        assertThat(PipelineLoad.awaitDrained(admin, topic, group, WAIT)).isTrue();
        assertThat(committed(admin, group)).isEqualTo(4);
        assertThat(w.unprocessable()).isEqualTo(1);
        assertThat(w.deadLettered()).isEqualTo(1);
      }
      assertThat(refusing.refusals()).isPositive();

      List<Envelope> stored = List.of(before, after, later);
      var totals = store.totals();
      assertThat(totals.reports()).isEqualTo(3);
      assertThat(totals.successful()).isEqualTo(sessions(stored, true));
      assertThat(totals.failed()).isEqualTo(sessions(stored, false));
      assertThat(store.query("SELECT count() FROM tlsrpt.raw_inputs FINAL")).isEqualTo("4");

      // kept, as rejected, with the reason and its exact bytes
      assertThat(store.query("SELECT source, code, message FROM tlsrpt.rejected_inputs"))
          .startsWith("https\tunprocessable\tstorage refused this input on its own: ")
          .contains("cannot parse the row of report " + refusedId);
      assertThat(
              store.query(
                  "SELECT raw = unhex('"
                      + HexFormat.of().formatHex(poisoned.raw())
                      + "') FROM tlsrpt.raw_inputs FINAL WHERE status = 'rejected'"))
          .isEqualTo("1");
    }

    // and copied to the dead-letter topic with the reason and where it came from
    List<ConsumerRecord<String, byte[]>> dead = readAll(dlq, 1);
    assertThat(dead).hasSize(1);
    ConsumerRecord<String, byte[]> copy = dead.getFirst();
    assertThat(copy.value()).isEqualTo(poisoned.raw());
    assertThat(PipelineRecord.get(copy.headers(), PipelineRecord.REASON_CODE))
        .isEqualTo("unprocessable");
    assertThat(PipelineRecord.get(copy.headers(), PipelineRecord.REASON))
        .startsWith("storage refused this input on its own: ")
        .contains(refusedId);
    assertThat(PipelineRecord.get(copy.headers(), PipelineRecord.ORIGIN)).isEqualTo(topic + "/0/1");
    assertThat(PipelineRecord.get(copy.headers(), PipelineRecord.SOURCE)).isEqualTo("https");
  }
}

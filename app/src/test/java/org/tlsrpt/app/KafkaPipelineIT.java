package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.demo.BundledSamples;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.app.serve.WorkerServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.KafkaTopics;
import org.tlsrpt.ingest.kafka.KafkaWorker;
import org.tlsrpt.ingest.kafka.PipelineRecord;
import org.tlsrpt.ingest.kafka.WorkerOptions;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import org.tlsrpt.testkit.FreePorts;
import org.tlsrpt.testkit.KafkaBrokerExtension;
import org.tlsrpt.testkit.PipelineLoad;
import org.tlsrpt.testkit.SampleReport;

/**
 * The Kafka pipeline against a real broker (KRaft, a separate JVM from the Maven Central jars) and
 * the embedded ClickHouse engine: ingest node to worker end to end, dead letters, storage down, two
 * workers sharing partitions, and a worker process killed mid-stream.
 */
class KafkaPipelineIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  @TempDir Path dir;

  private static final List<SampleReport> SAMPLES =
      BundledSamples.all().stream().map(s -> new SampleReport(s.name(), s.bytes())).toList();
  private static final Map<String, String> LOAD_TRANSPORT =
      Map.of("client", "127.0.0.1", "helo", "bench");
  private static KafkaClients clients;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void connect() {
    clients = new KafkaClients(kafka.bootstrap(), Map.of());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closing(T c) {
    open.add(c);
    return c;
  }

  private static String unique(String what) {
    return what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Settings settings(Map<String, String> more) {
    Map<String, String> env = new HashMap<>();
    env.put("TLSRPT_CHDB_LIBRARY", System.getenv("TLSRPT_CHDB_LIBRARY"));
    env.put("TLSRPT_DATA_DIR", dir.resolve("data").toString());
    env.put("TLSRPT_PIPELINE_MODE", "kafka");
    env.put("TLSRPT_KAFKA_BOOTSTRAP", kafka.bootstrap());
    env.put("TLSRPT_DKIM_MODE", "off");
    env.put("TLSRPT_SUMMARY_REFRESH_SECONDS", "3600");
    env.putAll(more);
    return Settings.load(null, env, AllSettings.ALL);
  }

  private ClickHouse store(Path where) {
    ClickHouse ch = EmbeddedClickHouse.open(Path.of(System.getenv("TLSRPT_CHDB_LIBRARY")), where);
    new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
    return ch;
  }

  private static Summaries.Summary totals(ClickHouse ch) {
    return new Summaries(ch, "tlsrpt")
        .summary(LocalDate.parse("2000-01-01"), null, Summaries.By.ORG);
  }

  private static String query(ClickHouse ch, String sql) {
    return new String(ch.query(sql, "TabSeparated"), StandardCharsets.UTF_8).trim();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(b);
    }
    return out.toByteArray();
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected)
      throws InterruptedException {
    Map<String, Object> props = clients.consumer(unique("reader"), 1000, 1 << 20);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static long committedTotal(Admin admin, String group) throws Exception {
    return PipelineLoad.committed(admin, group).values().stream()
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }

  @Test
  void reportsBySmtpAndHttpsGoThroughKafkaToTheWorkerAndItsApi() throws Exception {
    int http = FreePorts.tcp();
    int smtp = FreePorts.tcp();
    int workerHttp = FreePorts.tcp();
    String topic = unique("raw");
    Settings s =
        settings(
            Map.of(
                "TLSRPT_HTTP_LISTEN",
                "127.0.0.1:" + http,
                "TLSRPT_SMTP_LISTEN",
                "127.0.0.1:" + smtp,
                "TLSRPT_SMTP_RECIPIENTS",
                "tlsrpt@reports.test",
                "TLSRPT_KAFKA_TOPIC",
                topic,
                "TLSRPT_KAFKA_DEAD_LETTER_TOPIC",
                unique("dlq"),
                "TLSRPT_KAFKA_GROUP",
                unique("group"),
                "TLSRPT_KAFKA_PARTITIONS",
                "3",
                "TLSRPT_WORKER_LISTEN",
                "127.0.0.1:" + workerHttp));
    byte[] json = Files.readAllBytes(SamplesDir.get().resolve("parsedmarc__rfc8460.json"));
    Path mail = dir.resolve("report.eml");
    Files.writeString(
        mail,
        "From: tlsrpt@company-x.example\r\nSubject: Report Domain: company-y.example\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: application/tlsrpt+json\r\n\r\n"
            + new String(json, StandardCharsets.UTF_8));

    closing(TlsrptServer.start(s, null));
    String base = "http://127.0.0.1:" + http;
    Process swaks =
        new ProcessBuilder(
                List.of(
                    "swaks",
                    "--server",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(smtp),
                    "--from",
                    "tlsrpt@company-x.example",
                    "--to",
                    "tlsrpt@reports.test",
                    "--data",
                    "@" + mail,
                    "--tls"))
            .redirectErrorStream(true)
            .start();
    String transcript = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(swaks.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(swaks.exitValue()).as(transcript).isZero();
    assertThat(transcript).contains("250 2.0.0 report stored");

    HttpResponse<String> post =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/v1/tlsrpt"))
                    .header("Content-Type", "application/tlsrpt+gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(json)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).as(post.body()).isEqualTo(201);

    // both were acknowledged by the broker before the answers: at once, without waiting, the
    // publisher counts both acks and the topic's end offsets hold both records
    assertThat(get(base + "/metrics").body())
        .contains("tlsrpt_kafka_published_total{outcome=\"acknowledged\"} 2.0");
    try (Admin admin = Admin.create(clients.admin())) {
      java.util.Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
          new java.util.HashMap<>();
      for (int p = 0; p < 3; p++) {
        latest.put(
            new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
      long records =
          admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
              .mapToLong(
                  org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset)
              .sum();
      assertThat(records).isEqualTo(2);
    }
    List<ConsumerRecord<String, byte[]>> published = readAll(topic, 2);
    assertThat(published).hasSize(2);
    ConsumerRecord<String, byte[]> bySmtp =
        published.stream()
            .filter(r -> "smtp".equals(PipelineRecord.get(r.headers(), PipelineRecord.SOURCE)))
            .findFirst()
            .orElseThrow();
    assertThat(bySmtp.key())
        .isEqualTo(new org.tlsrpt.parser.RawInput(bySmtp.value()).sha256())
        .hasSize(64);
    assertThat(PipelineRecord.get(bySmtp.headers(), PipelineRecord.TRANSPORT + "client"))
        .isEqualTo("127.0.0.1");
    assertThat(PipelineRecord.get(bySmtp.headers(), PipelineRecord.TRANSPORT + "rcpt-to"))
        .isEqualTo("tlsrpt@reports.test");
    assertThat(PipelineRecord.get(bySmtp.headers(), PipelineRecord.TRANSPORT + "mail-from"))
        .isEqualTo("tlsrpt@company-x.example");
    assertThat(PipelineRecord.get(bySmtp.headers(), PipelineRecord.DKIM)).isEqualTo("not-checked");
    assertThat(Instant.parse(PipelineRecord.get(bySmtp.headers(), PipelineRecord.RECEIVED_AT)))
        .isBefore(Instant.now().plusSeconds(1));
    ConsumerRecord<String, byte[]> byHttps =
        published.stream().filter(r -> r != bySmtp).findFirst().orElseThrow();
    assertThat(PipelineRecord.get(byHttps.headers(), PipelineRecord.CONTENT_TYPE))
        .isEqualTo("application/tlsrpt+gzip");
    assertThat(PipelineRecord.get(byHttps.headers(), PipelineRecord.DKIM))
        .isEqualTo("unauthenticated");

    // the ingest node keeps no store: its summary API says who answers
    HttpResponse<String> noStore = get(base + "/api/summary");
    assertThat(noStore.statusCode()).isEqualTo(503);
    assertThat(noStore.body()).contains("worker.listen");
    assertThat(get(base + "/metrics").body())
        .contains("tlsrpt_kafka_published_total{outcome=\"acknowledged\"} 2.0");

    WorkerServer worker = closing(WorkerServer.start(s, null));
    String workerBase = "http://127.0.0.1:" + workerHttp;
    await(
        "both inputs stored",
        () -> worker.worker().consumed() == 2 && worker.worker().commits() > 0);
    JsonNode summary = JSON.readTree(get(workerBase + "/api/summary?since=20000d").body());
    assertThat(summary.get("reports").asLong()).isEqualTo(1); // the same report twice
    assertThat(summary.get("successful_sessions").asLong()).isEqualTo(5326);
    assertThat(summary.get("failed_sessions").asLong()).isEqualTo(303);
    assertThat(get(workerBase + "/health").body()).contains("\"status\":\"ok\"");
    String metrics = get(workerBase + "/metrics").body();
    assertThat(metrics)
        .contains("tlsrpt_worker_records_total 2.0")
        .contains("tlsrpt_worker_inputs_total{outcome=\"stored\"} 1.0")
        .contains("tlsrpt_worker_inputs_total{outcome=\"duplicate\"} 1.0")
        .contains("tlsrpt_worker_assigned_partitions 3.0")
        .contains("tlsrpt_worker_lag_records");
    // the worker owns the embedded store: local commands find its API
    assertThat(dir.resolve("data").resolve(TlsrptServer.SERVE_FILE)).exists();
  }

  @Test
  void poisonAndRejectedInputsGoToTheDeadLetterTopicAndThePartitionKeepsFlowing() throws Exception {
    String topic = unique("raw");
    String dlq = unique("dlq");
    String group = unique("group");
    KafkaTopics.ensure(clients, List.of(topic, dlq), 1, (short) 1, 1 << 20);
    byte[] good1 = Files.readAllBytes(SamplesDir.get().resolve("parsedmarc__rfc8460.json"));
    byte[] good2 = Files.readAllBytes(SamplesDir.get().resolve("cry-inc__google.json"));
    byte[] unreadableBody =
        Files.readAllBytes(SamplesDir.get().resolve("parsedmarc__mail.ru.json"));
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(clients.producer("test", 2 << 20, "none", 30_000))) {
      p.send(https(topic, good1)).get();
      // unreadable: a tlsrpt header that cannot be read is not guessed at
      ProducerRecord<String, byte[]> unreadable = https(topic, unreadableBody);
      unreadable.headers().remove(PipelineRecord.RECEIVED_AT);
      unreadable.headers().add(PipelineRecord.RECEIVED_AT, "yesterday".getBytes());
      p.send(unreadable).get();
      // rejected by the parser
      p.send(https(topic, "{\"not\": \"a report\"}".getBytes(StandardCharsets.UTF_8))).get();
      // no value at all
      p.send(new ProducerRecord<>(topic, null, "tombstone", null, new RecordHeaders())).get();
      p.send(https(topic, good2)).get();
    }
    ClickHouse ch = closing(store(dir.resolve("store")));
    KafkaWorker w =
        closing(
            new KafkaWorker(
                    clients,
                    new WorkerOptions(topic, dlq, group, 100, 1 << 20, 1_000),
                    new ReportParser(),
                    new ReportStore(ch, "tlsrpt"))
                .start());
    try (Admin admin = Admin.create(clients.admin())) {
      assertThat(PipelineLoad.awaitDrained(admin, topic, group, WAIT)).isTrue();
      assertThat(committedTotal(admin, group)).isEqualTo(5);
    }
    assertThat(totals(ch).reports()).isEqualTo(2); // the inputs after the poison ones too

    List<ConsumerRecord<String, byte[]>> dead = readAll(dlq, 3);
    assertThat(dead).hasSize(3);
    Map<String, String> reasons = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : dead) {
      reasons.put(
          PipelineRecord.get(r.headers(), PipelineRecord.ORIGIN),
          PipelineRecord.get(r.headers(), PipelineRecord.REASON_CODE)
              + ": "
              + PipelineRecord.get(r.headers(), PipelineRecord.REASON));
    }
    assertThat(reasons.get(topic + "/0/1"))
        .startsWith("unprocessable: unreadable record: header tlsrpt-received-at 'yesterday'");
    assertThat(reasons.get(topic + "/0/2"))
        .isEqualTo("missing_field: organization-name is required but absent, null or empty");
    assertThat(reasons.get(topic + "/0/3")).isEqualTo("unprocessable: the record has no value");
    ConsumerRecord<String, byte[]> copy =
        dead.stream()
            .filter(
                r ->
                    (topic + "/0/1").equals(PipelineRecord.get(r.headers(), PipelineRecord.ORIGIN)))
            .findFirst()
            .orElseThrow();
    assertThat(copy.value()).isEqualTo(unreadableBody); // the raw bytes travel with the reason

    // and they are kept, visible, in the rejected table (the tombstone has no bytes to keep)
    assertThat(query(ch, "SELECT code, message FROM tlsrpt.rejected_inputs ORDER BY code"))
        .contains("missing_field\torganization-name is required")
        .contains("unprocessable\tunreadable record: header tlsrpt-received-at");
    assertThat(query(ch, "SELECT count() FROM tlsrpt.rejected_inputs")).isEqualTo("2");
    assertThat(w.deadLettered()).isEqualTo(3);
  }

  private static ProducerRecord<String, byte[]> https(String topic, byte[] body) {
    return PipelineRecord.of(topic, Envelope.https(body, "application/tlsrpt+json"), null);
  }

  @Test
  void whileStorageIsDownNothingIsCommittedAndTheBacklogIsStoredWhenItIsBack() throws Exception {
    String topic = unique("raw");
    String group = unique("group");
    KafkaTopics.ensure(clients, List.of(topic, topic + "-dlq"), 2, (short) 1, 1 << 20);
    ClickHouse ch = closing(store(dir.resolve("store")));
    KafkaWorker w =
        closing(
            new KafkaWorker(
                    clients,
                    new WorkerOptions(topic, topic + "-dlq", group, 100, 1 << 20, 1_000),
                    new ReportParser(),
                    new ReportStore(ch, "tlsrpt"))
                .start());
    try (Admin admin = Admin.create(clients.admin())) {
      PipelineLoad.Totals first = publish(clients, topic, 0, 20);
      assertThat(PipelineLoad.awaitDrained(admin, topic, group, WAIT)).isTrue();
      assertThat(committedTotal(admin, group)).isEqualTo(20);

      // storage goes away: the table every write starts with is detached
      query(ch, "DETACH TABLE tlsrpt.raw_inputs");
      PipelineLoad.Totals second = publish(clients, topic, 20, 30);
      await("failed writes", () -> w.storeFailures() >= 2);
      Thread.sleep(1_500); // more retries; none may commit
      assertThat(committedTotal(admin, group)).isEqualTo(20);
      assertThat(w.lag()).isEqualTo(30);

      query(ch, "ATTACH TABLE tlsrpt.raw_inputs");
      assertThat(PipelineLoad.awaitDrained(admin, topic, group, WAIT)).isTrue();
      assertThat(committedTotal(admin, group)).isEqualTo(50);
      Summaries.Summary t = totals(ch);
      assertThat(t.reports()).isEqualTo(50);
      assertThat(t.successful()).isEqualTo(first.successful() + second.successful());
      assertThat(t.failed()).isEqualTo(first.failed() + second.failed());
    }
  }

  /**
   * Stands in for a failure the writer does not expect (an OutOfMemoryError, a bug): it gives the
   * batch up. A later batch of the same partitions must not be committed past it.
   */
  @Test
  void aBatchTheWriterGivesUpIsDeliveredAgainNotSkippedByTheNextCommit() throws Exception {
    String topic = unique("raw");
    String group = unique("group");
    KafkaTopics.ensure(clients, List.of(topic, topic + "-dlq"), 1, (short) 1, 1 << 20);
    PipelineLoad.Totals first = publish(clients, topic, 0, 5);
    ClickHouse ch = closing(store(dir.resolve("store")));
    java.util.concurrent.atomic.AtomicInteger failNextInserts =
        new java.util.concurrent.atomic.AtomicInteger(1);
    ClickHouse faulty =
        new ClickHouse() {
          @Override
          public void execute(String sql) {
            ch.execute(sql);
          }

          @Override
          public void insert(String table, String format, byte[] rows) {
            if (failNextInserts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              throw new Error("injected: the writer does not expect this");
            }
            ch.insert(table, format, rows);
          }

          @Override
          public byte[] query(String sql, String format) {
            return ch.query(sql, format);
          }

          @Override
          public String describe() {
            return "faulty " + ch.describe();
          }

          @Override
          public void close() {}
        };
    KafkaWorker w =
        closing(
            new KafkaWorker(
                    clients,
                    new WorkerOptions(topic, topic + "-dlq", group, 100, 1 << 20, 1_000),
                    new ReportParser(),
                    new ReportStore(faulty, "tlsrpt"))
                .start());
    await("the first batch given up", () -> failNextInserts.get() == 0 && w.consumed() >= 5);
    Thread.sleep(500);
    PipelineLoad.Totals second = publish(clients, topic, 5, 5);
    try (Admin admin = Admin.create(clients.admin())) {
      assertThat(PipelineLoad.awaitDrained(admin, topic, group, WAIT)).isTrue();
      assertThat(committedTotal(admin, group)).isEqualTo(10);
    }
    Summaries.Summary t = totals(ch);
    assertThat(t.reports()).as("the batch given up was stored later").isEqualTo(10);
    assertThat(t.successful()).isEqualTo(first.successful() + second.successful());
    assertThat(query(ch, "SELECT count() FROM tlsrpt.raw_inputs FINAL")).isEqualTo("10");
  }

  /**
   * One input storage refuses on its own (here: by a delegating engine that refuses its rows) is
   * set aside as unprocessable and dead-lettered once the batch failed three times while storage
   * answers; storage going away during the one-by-one writes sends the worker back to waiting, and
   * every other input of the batch is stored.
   */
  @Test
  void anInputStorageRefusesAloneIsSetAsideAndStorageGoingAwayMeanwhileIsWaitedFor()
      throws Exception {
    String topic = unique("raw");
    String dlq = unique("dlq");
    String group = unique("group");
    KafkaTopics.ensure(clients, List.of(topic, dlq), 1, (short) 1, 1 << 20);
    byte[] good1 = Files.readAllBytes(SamplesDir.get().resolve("parsedmarc__rfc8460.json"));
    byte[] good2 = Files.readAllBytes(SamplesDir.get().resolve("cry-inc__google.json"));
    byte[] refused = Files.readAllBytes(SamplesDir.get().resolve("cry-inc__microsoft.json"));
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(clients.producer("test", 2 << 20, "none", 30_000))) {
      p.send(https(topic, good1)).get();
      p.send(https(topic, refused)).get();
      p.send(https(topic, good2)).get();
    }
    String refusedId =
        JSON.readTree(refused).get("report-id").asText(); // RowBinary carries it as it is
    ClickHouse ch = closing(store(dir.resolve("store")));
    java.util.concurrent.atomic.AtomicInteger refusals =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean down =
        new java.util.concurrent.atomic.AtomicBoolean();
    ClickHouse faulty =
        new ClickHouse() {
          @Override
          public void execute(String sql) {
            ch.execute(sql);
          }

          @Override
          public void insert(String table, String format, byte[] rows) {
            if (table.startsWith("tlsrpt.reports")
                && new String(rows, StandardCharsets.ISO_8859_1).contains(refusedId)) {
              if (refusals.incrementAndGet() == 4) { // the first write of it alone
                down.set(true);
                Thread.ofVirtual()
                    .start(
                        () -> {
                          try {
                            Thread.sleep(2_000);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          down.set(false);
                        });
              }
              throw new org.tlsrpt.storage.engine.StorageException("injected: row refused", false);
            }
            ch.insert(table, format, rows);
          }

          @Override
          public byte[] query(String sql, String format) {
            if (down.get()) {
              throw new org.tlsrpt.storage.engine.StorageException("injected: down", true);
            }
            return ch.query(sql, format);
          }

          @Override
          public String describe() {
            return "faulty " + ch.describe();
          }

          @Override
          public void close() {}
        };
    KafkaWorker w =
        closing(
            new KafkaWorker(
                    clients,
                    new WorkerOptions(topic, dlq, group, 100, 1 << 20, 1_000),
                    new ReportParser(),
                    new ReportStore(faulty, "tlsrpt"))
                .start());
    try (Admin admin = Admin.create(clients.admin())) {
      assertThat(PipelineLoad.awaitDrained(admin, topic, group, WAIT)).isTrue();
      assertThat(committedTotal(admin, group)).isEqualTo(3);
    }
    assertThat(refusals.get()).as("refused again after storage came back").isGreaterThan(4);
    assertThat(totals(ch).reports()).isEqualTo(2);
    assertThat(query(ch, "SELECT code, message FROM tlsrpt.rejected_inputs"))
        .startsWith("unprocessable\tstorage refused this input on its own: injected: row refused");
    assertThat(w.unprocessable()).isEqualTo(1);
    List<ConsumerRecord<String, byte[]>> dead = readAll(dlq, 1);
    assertThat(dead).hasSize(1);
    assertThat(dead.getFirst().value()).isEqualTo(refused);
    assertThat(PipelineRecord.get(dead.getFirst().headers(), PipelineRecord.ORIGIN))
        .isEqualTo(topic + "/0/1");
  }

  @Test
  void twoWorkersInOneGroupSplitThePartitions() throws Exception {
    String topic = unique("raw");
    String group = unique("group");
    KafkaTopics.ensure(clients, List.of(topic, topic + "-dlq"), 4, (short) 1, 1 << 20);
    ClickHouse ch = closing(store(dir.resolve("store")));
    WorkerOptions o = new WorkerOptions(topic, topic + "-dlq", group, 50, 1 << 20, 1_000);
    KafkaWorker a =
        closing(
            new KafkaWorker(clients, o, new ReportParser(), new ReportStore(ch, "tlsrpt")).start());
    await("the first worker holds every partition", () -> a.assignment().size() == 4);
    KafkaWorker b =
        closing(
            new KafkaWorker(clients, o, new ReportParser(), new ReportStore(ch, "tlsrpt")).start());
    await(
        "both workers hold partitions",
        () -> a.assignment().size() == 2 && b.assignment().size() == 2);
    Set<TopicPartition> all = new HashSet<>(a.assignment());
    all.addAll(b.assignment());
    assertThat(all).hasSize(4); // disjoint halves

    PipelineLoad.Totals sent = publish(clients, topic, 0, 400);
    try (Admin admin = Admin.create(clients.admin())) {
      assertThat(PipelineLoad.awaitDrained(admin, topic, group, WAIT)).isTrue();
    }
    assertThat(a.consumed()).isPositive();
    assertThat(b.consumed()).isPositive();
    assertThat(a.consumed() + b.consumed()).isEqualTo(400);
    Summaries.Summary t = totals(ch);
    assertThat(t.reports()).isEqualTo(400);
    assertThat(t.successful()).isEqualTo(sent.successful());
    assertThat(t.failed()).isEqualTo(sent.failed());
  }

  @Test
  void aSecondWorkerJoiningMidStreamLosesNothingAndCountsNothingTwice() throws Exception {
    String topic = unique("raw");
    String group = unique("group");
    KafkaTopics.ensure(clients, List.of(topic, topic + "-dlq"), 4, (short) 1, 1 << 20);
    int count = 3_000;
    PipelineLoad.Totals sent = publish(clients, topic, 0, count);
    ClickHouse ch = closing(store(dir.resolve("store")));
    WorkerOptions o = new WorkerOptions(topic, topic + "-dlq", group, 100, 1 << 20, 1_000);
    KafkaWorker a =
        closing(
            new KafkaWorker(clients, o, new ReportParser(), new ReportStore(ch, "tlsrpt")).start());
    try (Admin admin = Admin.create(clients.admin())) {
      // the rebalance happens while the first worker is busy with the backlog
      await("the first worker has committed some batches", () -> a.commits() > 0);
      assertThat(PipelineLoad.groupLag(admin, topic, group)).isPositive();
      KafkaWorker b =
          closing(
              new KafkaWorker(clients, o, new ReportParser(), new ReportStore(ch, "tlsrpt"))
                  .start());
      assertThat(PipelineLoad.awaitDrained(admin, topic, group, WAIT)).isTrue();
      assertThat(a.consumed() + b.consumed()).isGreaterThanOrEqualTo(count);
    }
    Summaries.Summary t = totals(ch);
    assertThat(t.reports()).isEqualTo(count);
    assertThat(t.successful()).isEqualTo(sent.successful());
    assertThat(t.failed()).isEqualTo(sent.failed());
  }

  @Test
  void aWorkerProcessKilledMidStreamLosesNothingAndCountsNothingTwice() throws Exception {
    String topic = unique("raw");
    String group = unique("group");
    int count = 4_000;
    KafkaTopics.ensure(clients, List.of(topic, topic + "-dlq"), 2, (short) 1, 1 << 20);
    PipelineLoad.Totals sent = publish(clients, topic, 0, count);
    Path data = dir.resolve("worker-data");
    try (Admin admin = Admin.create(clients.admin())) {
      Process first = workerProcess(topic, group, data, "first");
      try {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (committedTotal(admin, group) == 0 && System.nanoTime() < deadline) {
          assertThat(first.isAlive()).as("the first worker is running").isTrue();
          Thread.sleep(20);
        }
        assertThat(committedTotal(admin, group)).as("some batches committed").isPositive();
      } finally {
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown at all
      }
      long committedAtKill = committedTotal(admin, group);
      assertThat(committedAtKill).as("killed before the end").isLessThan(count);

      Process second = workerProcess(topic, group, data, "second");
      try {
        assertThat(PipelineLoad.awaitDrained(admin, topic, group, Duration.ofMinutes(3))).isTrue();
      } finally {
        second.destroy(); // SIGTERM: stores and commits what it took, then exits
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
    }
    try (ClickHouse ch =
        EmbeddedClickHouse.open(Path.of(System.getenv("TLSRPT_CHDB_LIBRARY")), data)) {
      Summaries.Summary t = totals(ch);
      assertThat(t.reports()).isEqualTo(count);
      assertThat(t.successful()).isEqualTo(sent.successful());
      assertThat(t.failed()).isEqualTo(sent.failed());
      assertThat(query(ch, "SELECT count() FROM tlsrpt.raw_inputs FINAL")).isEqualTo("" + count);
    }
  }

  private Process workerProcess(String topic, String group, Path data, String name)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-Xmx512m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "org.tlsrpt.app.Main",
                    "worker",
                    "--data-dir",
                    data.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + "-worker.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("TLSRPT_KAFKA_BOOTSTRAP", kafka.bootstrap());
    env.put("TLSRPT_KAFKA_TOPIC", topic);
    env.put("TLSRPT_KAFKA_DEAD_LETTER_TOPIC", topic + "-dlq");
    env.put("TLSRPT_KAFKA_GROUP", group);
    env.put("TLSRPT_WORKER_MAX_BATCH", "200");
    env.put("TLSRPT_WORKER_LISTEN", "127.0.0.1:0");
    env.put("TLSRPT_PIPELINE_MODE", "kafka");
    return pb.start();
  }

  /** Publishes synthetic report e-mails as an ingest node does (PipelineLoad). */
  private static PipelineLoad.Totals publish(
      KafkaClients clients, String topic, int first, int count) throws Exception {
    return PipelineLoad.publish(
        clients.producer("tlsrpt-bench-load", 16L << 20, "lz4", 120_000),
        eml -> PipelineRecord.of(topic, Envelope.mail(eml, Source.SMTP, LOAD_TRANSPORT), null),
        SAMPLES,
        first,
        count,
        n -> {});
  }
}

package org.tlsrpt.app.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.BatchWriter;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.KafkaTopics;
import org.tlsrpt.ingest.kafka.SchedulerLease;
import org.tlsrpt.ingest.kafka.WorkerOptions;

/**
 * Settings of the scale-out pipeline ({@code pipeline.*}, {@code kafka.*}, {@code worker.*}), read
 * once at start-up by {@link #from}: {@code pipeline.mode=kafka} makes {@code tlsrpt serve} an
 * ingest node that publishes to Kafka, and {@code tlsrpt worker} the consumer that stores.
 *
 * @param propertiesFile extra Kafka client settings, or null for none
 * @param workerListen where the worker's HTTP server listens, or null when it is off
 * @param maxRecordBytes the largest record the topics must take: the largest input any source of
 *     serve accepts, plus room for the envelope
 */
public record PipelineSettings(
    Mode mode,
    String kafkaBootstrap,
    String topic,
    String deadLetterTopic,
    String group,
    boolean createTopics,
    int partitions,
    short replicationFactor,
    Duration sendTimeout,
    String compression,
    Path propertiesFile,
    InetSocketAddress workerListen,
    int workerMaxBatch,
    long workerMaxBatchBytes,
    Duration workerMaxBackoff,
    int workerIsolateAfterRefusals,
    String schedulerTopic,
    Duration schedulerSession,
    long maxRecordBytes) {

  /** Where serve puts what it receives ({@code pipeline.mode}). */
  public enum Mode {
    /** Serve stores it itself (spool, then ClickHouse). */
    LOCAL,
    /** Serve publishes it to Kafka; workers store it. */
    KAFKA
  }

  public static final Setting PIPELINE_MODE =
      new Setting(
          "pipeline.mode",
          "local",
          "local: serve stores what it receives itself (spool, then ClickHouse); kafka: serve"
              + " publishes every input to kafka.topic and answers once the broker has it, and"
              + " `tlsrpt worker` processes store them.");
  public static final Setting KAFKA_BOOTSTRAP =
      new Setting(
          "kafka.bootstrap",
          "",
          "Comma-separated host:port list of Kafka brokers (required with pipeline.mode=kafka and"
              + " for tlsrpt worker).");
  public static final Setting KAFKA_TOPIC =
      new Setting("kafka.topic", "tlsrpt-raw", "Topic the raw inputs are published to.");
  public static final Setting KAFKA_DEAD_LETTER_TOPIC =
      new Setting(
          "kafka.dead_letter_topic",
          "tlsrpt-dead-letter",
          "Topic workers copy rejected and unprocessable inputs to, with the reason in headers.");
  public static final Setting KAFKA_GROUP =
      new Setting("kafka.group", "tlsrpt-workers", "Consumer group the workers share.");
  public static final Setting KAFKA_CREATE_TOPICS =
      new Setting(
          "kafka.create_topics",
          "true",
          "Create both topics at start-up when they do not exist (with the two settings below).");
  public static final Setting KAFKA_PARTITIONS =
      new Setting(
          "kafka.partitions",
          "12",
          "Partitions of a created topic: the most workers that can share the load.");
  public static final Setting KAFKA_REPLICATION_FACTOR =
      new Setting(
          "kafka.replication_factor",
          "1",
          "Replicas of a created topic; use 3 on a cluster of three or more brokers.");
  public static final Setting KAFKA_SEND_TIMEOUT_SECONDS =
      new Setting(
          "kafka.send_timeout_seconds",
          "30",
          "How long an input may wait for the broker's acknowledgement before the sender is told"
              + " to try later.");
  public static final Setting KAFKA_COMPRESSION =
      new Setting(
          "kafka.compression",
          "lz4",
          "Compression of published batches: none, gzip, snappy, lz4 or zstd.");
  public static final Setting KAFKA_PROPERTIES_FILE =
      new Setting(
          "kafka.properties_file",
          "",
          "A Java properties file of extra Kafka client settings for producers and consumers"
              + " (security.protocol, ssl.*, sasl.*); empty for none.");

  public static final Setting WORKER_LISTEN =
      new Setting(
          "worker.listen",
          "127.0.0.1:8081",
          "host:port of the worker's HTTP server (/health, /metrics, /api/summary); port 0 turns"
              + " it off.");
  public static final Setting WORKER_MAX_BATCH =
      new Setting(
          "worker.max_batch", "5000", "Records a worker polls and writes to ClickHouse together.");
  public static final Setting WORKER_MAX_BATCH_BYTES =
      new Setting(
          "worker.max_batch_bytes",
          "64MiB",
          "Bytes a worker fetches in one poll at most (a batch holds them all in memory).");
  public static final Setting WORKER_MAX_BACKOFF_SECONDS =
      new Setting(
          "worker.max_backoff_seconds",
          "30",
          "Longest wait between attempts to write a batch while ClickHouse fails (from 1 s,"
              + " doubling); offsets are not committed meanwhile.");

  public static final Setting WORKER_ISOLATE_AFTER_REFUSALS =
      new Setting(
          "worker.isolate_after_refusals",
          Integer.toString(BatchWriter.DEFAULT_ISOLATE_AFTER_REFUSALS),
          "Times ClickHouse may refuse a batch while it answers before the batch is split to find"
              + " the inputs it refuses on their own, which are kept as rejected (unprocessable)"
              + " and dead-lettered so that they hold up nothing; 1 splits at the first refusal.");

  public static final Setting KAFKA_SCHEDULER_TOPIC =
      new Setting(
          "kafka.scheduler_topic",
          "tlsrpt-scheduler",
          "One-partition topic whose assignment, in the group kafka.group + '-scheduler', picks the"
              + " one worker that runs the scheduled alert rules and the posture watch; nothing is"
              + " written to it.");
  public static final Setting WORKER_SCHEDULER_SESSION_SECONDS =
      new Setting(
          "worker.scheduler_session_seconds",
          "10",
          "How long the broker waits for a silent worker before it hands the scheduled jobs to"
              + " another (Kafka's session.timeout.ms for the scheduler lease; the broker allows 6"
              + " to 1800 by default).");

  public static final List<Setting> ALL =
      List.of(
          PIPELINE_MODE,
          KAFKA_BOOTSTRAP,
          KAFKA_TOPIC,
          KAFKA_DEAD_LETTER_TOPIC,
          KAFKA_GROUP,
          KAFKA_CREATE_TOPICS,
          KAFKA_PARTITIONS,
          KAFKA_REPLICATION_FACTOR,
          KAFKA_SEND_TIMEOUT_SECONDS,
          KAFKA_COMPRESSION,
          KAFKA_PROPERTIES_FILE,
          WORKER_LISTEN,
          WORKER_MAX_BATCH,
          WORKER_MAX_BATCH_BYTES,
          WORKER_MAX_BACKOFF_SECONDS,
          WORKER_ISOLATE_AFTER_REFUSALS,
          KAFKA_SCHEDULER_TOPIC,
          WORKER_SCHEDULER_SESSION_SECONDS);

  /**
   * Reads and checks the pipeline keys (and the input size limits of serve's sources, which bound
   * the records).
   *
   * @throws ConfigurationException naming the key of a value that is not valid
   */
  public static PipelineSettings from(Settings s) {
    int rf = s.integer(KAFKA_REPLICATION_FACTOR);
    if (rf > Short.MAX_VALUE) {
      throw s.invalid(KAFKA_REPLICATION_FACTOR, "a number of replicas up to " + Short.MAX_VALUE);
    }
    String properties = s.string(KAFKA_PROPERTIES_FILE).trim();
    return new PipelineSettings(
        mode(s),
        s.string(KAFKA_BOOTSTRAP).trim(),
        s.string(KAFKA_TOPIC),
        s.string(KAFKA_DEAD_LETTER_TOPIC),
        s.string(KAFKA_GROUP),
        s.bool(KAFKA_CREATE_TOPICS),
        s.integer(KAFKA_PARTITIONS),
        (short) rf,
        Duration.ofSeconds(s.integer(KAFKA_SEND_TIMEOUT_SECONDS)),
        s.string(KAFKA_COMPRESSION),
        properties.isEmpty() ? null : Path.of(properties),
        ServeSettings.listenAddress(s, WORKER_LISTEN),
        s.integer(WORKER_MAX_BATCH),
        s.bytes(WORKER_MAX_BATCH_BYTES),
        Duration.ofSeconds(s.integer(WORKER_MAX_BACKOFF_SECONDS)),
        s.integer(WORKER_ISOLATE_AFTER_REFUSALS),
        s.string(KAFKA_SCHEDULER_TOPIC),
        Duration.ofSeconds(s.integer(WORKER_SCHEDULER_SESSION_SECONDS)),
        Math.max(
                Math.max(
                    s.bytes(SmtpListenerSettings.SMTP_MAX_MESSAGE_BYTES),
                    s.bytes(HttpServerSettings.HTTP_MAX_BODY_BYTES)),
                s.bytes(ImapKeys.MAX_MESSAGE_BYTES))
            + (64 << 10));
  }

  private static Mode mode(Settings s) {
    String mode = s.string(PIPELINE_MODE).trim().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "local" -> Mode.LOCAL;
      case "kafka" -> Mode.KAFKA;
      default ->
          throw new ConfigurationException(
              PIPELINE_MODE.key()
                  + " ("
                  + PIPELINE_MODE.environmentVariable()
                  + ") is local or kafka, not '"
                  + mode
                  + "'");
    };
  }

  /** True when serve publishes to Kafka instead of storing. */
  public boolean kafka() {
    return mode == Mode.KAFKA;
  }

  /**
   * The brokers and the operator's extra client properties (read from {@link #propertiesFile} now).
   *
   * @throws ConfigurationException without brokers, or when the properties file cannot be read
   */
  public KafkaClients clients() {
    if (kafkaBootstrap.isEmpty()) {
      throw new ConfigurationException(
          "no Kafka brokers: set "
              + KAFKA_BOOTSTRAP.key()
              + " ("
              + KAFKA_BOOTSTRAP.environmentVariable()
              + "), e.g. kafka:9092");
    }
    Map<String, String> extra = new TreeMap<>();
    if (propertiesFile != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(propertiesFile)) {
        p.load(r);
      } catch (IOException e) {
        throw new ConfigurationException(
            KAFKA_PROPERTIES_FILE.key()
                + ": cannot read "
                + propertiesFile
                + " ("
                + e.getMessage()
                + ")");
      }
      p.stringPropertyNames().forEach(k -> extra.put(k, p.getProperty(k)));
    }
    return new KafkaClients(kafkaBootstrap, extra);
  }

  /** Creates the topics when kafka.create_topics says so. */
  public void ensureTopics(KafkaClients clients) {
    if (createTopics) {
      KafkaTopics.ensure(
          clients, List.of(topic, deadLetterTopic), partitions, replicationFactor, maxRecordBytes);
      KafkaTopics.ensure(clients, List.of(schedulerTopic), 1, replicationFactor, 1 << 20);
    }
  }

  /**
   * Joins the scheduler's group: the worker that is assigned its one partition runs the scheduled
   * jobs.
   */
  public SchedulerLease schedulerLease(KafkaClients clients) {
    return new SchedulerLease(clients, schedulerTopic, group + "-scheduler", schedulerSession);
  }

  /** What a worker consumes and how. */
  public WorkerOptions workerOptions() {
    return new WorkerOptions(
        topic,
        deadLetterTopic,
        group,
        workerMaxBatch,
        workerMaxBatchBytes,
        workerMaxBackoff.toMillis(),
        workerIsolateAfterRefusals);
  }
}

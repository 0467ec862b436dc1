package org.tlsrpt.app.config;

import java.time.Duration;
import java.util.List;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.BatchWriter;

/**
 * How the intake writes ({@code ingest.*}).
 *
 * @param spool true: answer once spooled (fsync'd), load into ClickHouse in the background; false:
 *     answer once written to ClickHouse
 */
public record IngestSettings(
    boolean spool,
    long maxBacklogBytes,
    long spoolSegmentBytes,
    Duration maxBackoff,
    int isolateAfterRefusals,
    int maxBatch,
    long maxBatchBytes,
    int maxWaiting) {
  public static final Setting INGEST_SPOOL =
      new Setting(
          "ingest.spool",
          "true",
          "true: senders are answered once their input is fsync'd to a local spool under"
              + " DATA_DIR/intake-spool, which is loaded into ClickHouse in large batches; false:"
              + " once it is written to ClickHouse (fewer, smaller writes shared by concurrent"
              + " senders).");

  public static final Setting INGEST_MAX_BACKLOG_BYTES =
      new Setting(
          "ingest.max_backlog_bytes",
          "1GiB",
          "Spooled bytes not yet in ClickHouse at most; beyond it senders are told to try later.");

  public static final Setting INGEST_SPOOL_SEGMENT_BYTES =
      new Setting(
          "ingest.spool_segment_bytes", "64MiB", "Size of one spool file before the next begins.");

  public static final Setting INGEST_MAX_BACKOFF_SECONDS =
      new Setting(
          "ingest.max_backoff_seconds",
          "30",
          "Longest wait between attempts to load the spool while ClickHouse fails.");

  public static final Setting INGEST_ISOLATE_AFTER_REFUSALS =
      new Setting(
          "ingest.isolate_after_refusals",
          Integer.toString(BatchWriter.DEFAULT_ISOLATE_AFTER_REFUSALS),
          "Times ClickHouse may refuse a batch of the spool while it answers before the batch is"
              + " split to find the inputs it refuses on their own, which are kept as rejected"
              + " (unprocessable) so that they hold up nothing; 1 splits at the first refusal.");

  public static final Setting INGEST_MAX_BATCH =
      new Setting("ingest.max_batch", "5000", "Inputs written to ClickHouse together at most.");

  public static final Setting INGEST_MAX_BATCH_BYTES =
      new Setting(
          "ingest.max_batch_bytes",
          "64MiB",
          "Raw bytes written together at most (a write holds them all in memory).");

  public static final Setting INGEST_MAX_WAITING =
      new Setting(
          "ingest.max_waiting",
          "10000",
          "Inputs waiting to be written at most; senders beyond it wait for room.");

  /** The keys read by {@link #from}, in the order the documentation lists them. */
  public static final List<Setting> ALL =
      List.of(
          INGEST_SPOOL,
          INGEST_MAX_BACKLOG_BYTES,
          INGEST_SPOOL_SEGMENT_BYTES,
          INGEST_MAX_BACKOFF_SECONDS,
          INGEST_ISOLATE_AFTER_REFUSALS,
          INGEST_MAX_BATCH,
          INGEST_MAX_BATCH_BYTES,
          INGEST_MAX_WAITING);

  static IngestSettings from(Settings s) {
    return new IngestSettings(
        s.bool(INGEST_SPOOL),
        s.bytes(INGEST_MAX_BACKLOG_BYTES),
        s.bytes(INGEST_SPOOL_SEGMENT_BYTES),
        Duration.ofSeconds(s.integer(INGEST_MAX_BACKOFF_SECONDS)),
        s.integer(INGEST_ISOLATE_AFTER_REFUSALS),
        s.integer(INGEST_MAX_BATCH),
        s.bytes(INGEST_MAX_BATCH_BYTES),
        s.integer(INGEST_MAX_WAITING));
  }
}

package org.tlsrpt.ingest.spool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.BatchLimits;
import org.tlsrpt.ingest.BatchWriter;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.SetAside;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.RawInput;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.engine.Backoff;

/**
 * Moves spooled inputs into ClickHouse in large batches, in order, and only then moves the spool's
 * checkpoint. Inputs are parsed again from their raw bytes, as they were when received; a batch
 * stored twice (a crash between the store and the checkpoint) counts once (ADR 0004). Batches go
 * through a {@link BatchWriter}: while storage is down it waits and tries the same batch again (the
 * spool keeps accepting meanwhile, up to its backlog limit); an input storage refuses on its own is
 * kept as rejected, and one it refuses even so is kept beside the spool ({@link
 * Spool#keepRefused}), so that no input holds up the ones behind it (docs/adr/0009).
 */
public final class SpoolLoader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolLoader.class);

  /** The first wait after a failed load; it doubles up to the configured longest wait. */
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

  private final Spool spool;
  private final ReportParser parser;
  private final BatchWriter writer;
  private final int maxBatch;
  private final long maxBatchBytes;
  private final Duration maxBackoff;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile SpoolPosition loaded;
  private final LongAdder failures = new LongAdder();
  private final Loaded onLoaded;

  /**
   * Told of each report input (not rejected, not quarantined when received) once it is written and
   * checked, or set aside.
   */
  @FunctionalInterface
  public interface Loaded {
    /** Told of nothing. */
    Loaded NOBODY = (source, duplicate) -> {};

    /**
     * @param duplicate nothing in it was new (a re-delivered message, the same report by another
     *     transport)
     */
    void loaded(Source source, boolean duplicate);
  }

  /** With the default number of refusals before a batch is split. */
  public SpoolLoader(
      Spool spool,
      ReportParser parser,
      ReportStore store,
      int maxBatch,
      long maxBatchBytes,
      long maxBackoffMillis) {
    this(
        spool,
        parser,
        store,
        maxBatch,
        maxBatchBytes,
        limits(maxBackoffMillis, BatchWriter.DEFAULT_ISOLATE_AFTER_REFUSALS));
  }

  /** Telling nobody of the inputs it loads. */
  public SpoolLoader(
      Spool spool,
      ReportParser parser,
      ReportStore store,
      int maxBatch,
      long maxBatchBytes,
      BatchLimits limits) {
    this(spool, parser, store, maxBatch, maxBatchBytes, limits, Loaded.NOBODY);
  }

  /**
   * @param maxBatch inputs written together at most
   * @param maxBatchBytes raw bytes written together at most
   * @param limits waits and refusals of the batch writer ({@link #limits})
   * @param onLoaded told of each report input loaded, on the loader's thread (must not throw)
   */
  public SpoolLoader(
      Spool spool,
      ReportParser parser,
      ReportStore store,
      int maxBatch,
      long maxBatchBytes,
      BatchLimits limits,
      Loaded onLoaded) {
    this.onLoaded = onLoaded;
    this.spool = spool;
    this.parser = parser;
    this.writer = new BatchWriter(store, limits, "spooled inputs");
    this.maxBatch = maxBatch;
    this.maxBatchBytes = maxBatchBytes;
    this.maxBackoff = limits.maxBackoff();
    this.loaded = spool.checkpoint();
    this.thread = Thread.ofPlatform().name("tlsrpt-spool-loader").start(this::run);
  }

  /** The loader's batch-writer limits: from 250 ms, doubling up to {@code maxBackoffMillis}. */
  public static BatchLimits limits(long maxBackoffMillis, int isolateAfterRefusals) {
    return new BatchLimits(
        FIRST_BACKOFF, Duration.ofMillis(maxBackoffMillis), isolateAfterRefusals);
  }

  private void run() {
    // for failures of the spool itself (disk); storage failures are the writer's
    Backoff backoff = new Backoff(FIRST_BACKOFF, maxBackoff);
    while (running || spool.end().compareTo(loaded) > 0) {
      try {
        SpoolPosition end = spool.end(); // taken before reading: nothing after it is skipped
        List<SpoolRead> reads = spool.read(loaded, maxBatch, maxBatchBytes);
        if (reads.isEmpty()) {
          // nothing readable up to end (a new segment after a restart, a torn tail): wait from
          // there
          if (end.compareTo(loaded) > 0) {
            loaded = end;
          }
          if (!running) {
            return;
          }
          spool.awaitAfter(loaded, 200);
          continue;
        }
        List<Incoming> batch = new ArrayList<>(reads.size());
        long bytes = 0;
        for (SpoolRead r : reads) {
          batch.add(incoming(r.envelope()));
          bytes += r.bytes();
        }
        BatchWriter.Written written = writer.write(batch, () -> running);
        if (written == null) {
          return; // shutting down while storage fails: the spool keeps them for the next start
        }
        for (SetAside a : written.setAside()) {
          if (!a.stored()) {
            spool.keepRefused(reads.get(a.index()).envelope(), a.reason());
          }
        }
        SpoolPosition next = reads.getLast().next();
        spool.commit(next, bytes);
        loaded = next;
        tell(batch, written);
        backoff.reset();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) { // the spool cannot be read or committed, or worse
        failures.increment();
        Duration wait = backoff.next();
        LOG.error(
            "could not load the spool ({}); trying again in {} ms", e.toString(), wait.toMillis());
        if (!running || !Backoff.pause(wait, () -> true)) {
          return; // shutting down, or interrupted: the spool keeps them for the next start
        }
      }
    }
  }

  /**
   * Logs the report inputs of a written batch that brought nothing new (the sender was answered
   * before ClickHouse could tell), and tells {@link #onLoaded} of every report input.
   */
  private void tell(List<Incoming> batch, BatchWriter.Written written) {
    for (int i = 0; i < batch.size(); i++) {
      Incoming in = batch.get(i);
      if (!(in.outcome() instanceof ParseOutcome.Parsed) || in.quarantineReason() != null) {
        continue; // counted when received
      }
      // one set aside was answered as a stored report, and counts as accepted, as it did before
      boolean duplicate = !written.setAside(i) && written.duplicateInput(i);
      if (duplicate) {
        LOG.info(
            "spooled input sha256={} source={} outcome=duplicate: stored before, counted once",
            in.outcome().rawSha256(),
            in.source().wire());
      }
      try {
        onLoaded.loaded(in.source(), duplicate);
      } catch (RuntimeException e) {
        LOG.warn("could not count a loaded input: {}", e.toString());
      }
    }
  }

  /**
   * Parses a spooled input; a parser failure keeps it as unprocessable, never holds up the rest.
   */
  private Incoming incoming(Envelope e) {
    try {
      return e.incoming(e.parse(parser));
    } catch (RuntimeException bug) {
      LOG.error("could not parse a spooled {} input; keeping it as unprocessable", e.source(), bug);
      return e.incoming(
          new ParseOutcome.Rejected(
              RejectCode.UNPROCESSABLE, "processing failed: " + bug, new RawInput(e.raw())));
    }
  }

  /** Where the loader stands: everything before it is in storage, or was never answered. */
  public SpoolPosition position() {
    return loaded;
  }

  /** Failed attempts to load so far (storage errors, spool errors). */
  public long failures() {
    return failures.sum() + writer.failures();
  }

  /** Inputs storage refused on their own, kept as rejected (or beside the spool). */
  public long setAside() {
    return writer.setAside();
  }

  /** Waits until everything spooled so far is in storage; false on timeout. */
  public boolean awaitLoaded(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!spool.read(loaded, 1, 1).isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Loads what is spooled (unless storage fails), then stops. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(java.util.concurrent.TimeUnit.MINUTES.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

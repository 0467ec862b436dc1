package org.tlsrpt.ingest.spool;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.StoreResult;

/**
 * Moves spooled inputs into ClickHouse in large batches, in order, and only then moves the spool's
 * checkpoint. Inputs are parsed again from their raw bytes, as they were when received; a batch
 * stored twice (a crash between the store and the checkpoint) counts once (ADR 0004). When storage
 * fails, it waits (doubling up to a limit) and tries the same batch again: the spool keeps
 * accepting meanwhile, up to its backlog limit.
 */
public final class SpoolLoader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolLoader.class);

  private final Spool spool;
  private final ReportParser parser;
  private final ReportStore store;
  private final int maxBatch;
  private final long maxBatchBytes;
  private final long maxBackoffMillis;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Spool.Position loaded;
  private volatile long failures;
  private final Loaded onLoaded;

  /** Told of each report input (not rejected, not quarantined) once it is written and checked. */
  @FunctionalInterface
  public interface Loaded {
    /**
     * @param duplicate nothing in it was new (a re-delivered message, the same report by another
     *     transport)
     */
    void loaded(String source, boolean duplicate);
  }

  public SpoolLoader(
      Spool spool,
      ReportParser parser,
      ReportStore store,
      int maxBatch,
      long maxBatchBytes,
      long maxBackoffMillis) {
    this(spool, parser, store, maxBatch, maxBatchBytes, maxBackoffMillis, (source, dup) -> {});
  }

  /**
   * @param onLoaded told of each report input loaded, on the loader's thread (must not throw)
   */
  public SpoolLoader(
      Spool spool,
      ReportParser parser,
      ReportStore store,
      int maxBatch,
      long maxBatchBytes,
      long maxBackoffMillis,
      Loaded onLoaded) {
    this.onLoaded = onLoaded;
    this.spool = spool;
    this.parser = parser;
    this.store = store;
    this.maxBatch = maxBatch;
    this.maxBatchBytes = maxBatchBytes;
    this.maxBackoffMillis = maxBackoffMillis;
    this.loaded = spool.checkpoint();
    this.thread = Thread.ofPlatform().name("tlsrpt-spool-loader").start(this::run);
  }

  private void run() {
    long backoff = 0;
    while (running || spool.end().compareTo(loaded) > 0) {
      try {
        Spool.Position end = spool.end(); // taken before reading: nothing after it is skipped
        List<Spool.Read> reads = spool.read(loaded, maxBatch, maxBatchBytes);
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
        for (Spool.Read r : reads) {
          Spool.Entry e = r.entry();
          ParseOutcome o =
              e.contentType() == null
                  ? parser.parse(e.raw())
                  : parser.parseHttpBody(e.raw(), e.contentType());
          batch.add(new Incoming(o, e.source(), e.receivedAt(), e.dkim(), e.quarantineReason()));
          bytes += r.bytes();
        }
        StoreResult written = store.store(batch);
        Spool.Position next = reads.getLast().next();
        spool.commit(next, bytes);
        loaded = next;
        for (int i = 0; i < batch.size(); i++) {
          Incoming in = batch.get(i);
          if (in.outcome() instanceof ParseOutcome.Parsed && in.quarantineReason() == null) {
            boolean duplicate = written.duplicateInput(i);
            if (duplicate) { // answered as stored before this could be known: said here
              LOG.info(
                  "spooled input sha256={} source={} outcome=duplicate: stored before, counted once",
                  in.outcome().rawSha256(),
                  in.source());
            }
            onLoaded.loaded(in.source(), duplicate);
          }
        }
        backoff = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) { // storage down, or worse: keep the spool, try again
        failures++;
        backoff = backoff == 0 ? 250 : Math.min(maxBackoffMillis, backoff * 2);
        LOG.warn(
            "could not load spooled reports into storage ({}); trying again in {} ms",
            e.getMessage(),
            backoff);
        if (!running) {
          return; // shutting down: the spool keeps them for the next start
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Where the loader stands: everything before it is in storage, or was never answered. */
  public Spool.Position position() {
    return loaded;
  }

  /** Loads failed so far (storage errors). */
  public long failures() {
    return failures;
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

package org.tlsrpt.app.serve;

import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.tlsrpt.ingest.SourceHealth;

/**
 * The spool's loading into ClickHouse as {@code /health} sees it: failing once a load failed and
 * the backlog has not shrunk since, working again once it shrinks or is empty. Its figure is the
 * backlog in bytes: inputs answered as stored, not yet in ClickHouse.
 */
final class SpoolHealth implements Supplier<SourceHealth> {
  private final LongSupplier backlogBytes;
  private final LongSupplier failures;
  private final Clock clock;
  private SourceHealth last = SourceHealth.starting().ok();
  private long failuresWhenWorking;
  private long lastBacklog;

  SpoolHealth(LongSupplier backlogBytes, LongSupplier failures, Clock clock) {
    this.backlogBytes = backlogBytes;
    this.failures = failures;
    this.clock = clock;
  }

  @Override
  public synchronized SourceHealth get() {
    long backlog = backlogBytes.getAsLong();
    long failed = failures.getAsLong();
    if (backlog == 0 || backlog < lastBacklog) {
      failuresWhenWorking = failed; // loaded something since: it works
      last = last.ok();
    } else if (failed > failuresWhenWorking) {
      last =
          last.failed(
              "loading the spool into ClickHouse fails ("
                  + (failed - failuresWhenWorking)
                  + " failed attempts, "
                  + backlog
                  + " bytes waiting); see storage",
              clock.instant());
    }
    lastBacklog = backlog;
    return last;
  }

  long backlogBytes() {
    return backlogBytes.getAsLong();
  }
}

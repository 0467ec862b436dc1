package org.tlsrpt.storage.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes the embedded engines still open when the JVM shuts down, so that the process never exits
 * with a libchdb connection open.
 *
 * <p>Why: when a process exits, libchdb's own exit-time destructors (run by {@code exit(3)} on the
 * JVM's VM thread, after the shutdown hooks) tear down a connection left open, and with a data part
 * of a table that has a skip index ({@code reports.report_key_bloom}, and some of ClickHouse's own
 * system log tables) that teardown dereferences a registry already destroyed: SIGSEGV, exit status
 * 134 and an {@code hs_err_pid*.log} (docs/testing.md, "The embedded engine at exit"). It happened
 * after {@code System.exit}, after an Error escaping {@code main}, and on SIGTERM or Ctrl-C during
 * a command; a connection closed with {@code chdb_close_conn} before the exit leaves nothing to
 * tear down. {@code Runtime.halt} skips the shutdown hooks and still runs those destructors: do not
 * halt with an engine open.
 *
 * <p>The JVM runs its shutdown hooks concurrently. A hook that stops its owner cleanly (serve's and
 * worker's, which store what they accepted before they close the engine) says so with {@link
 * #closeAfter}, and the engines are closed only once it has finished. Closing waits for the
 * statement in flight.
 *
 * <p>The state here is process-wide on purpose: libchdb is loaded once per process, and so is the
 * hazard.
 */
public final class EngineShutdown {
  private static final Set<EmbeddedClickHouse> OPEN = ConcurrentHashMap.newKeySet();
  private static final List<Thread> FIRST = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  /** How long a hook named in {@link #closeAfter} may stay unstarted (it was never registered). */
  private static final long START_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private EngineShutdown() {}

  /**
   * Closes the engines left open at shutdown only after {@code hook}, a registered shutdown hook
   * that still uses them (and normally closes them itself), has finished.
   */
  public static void closeAfter(Thread hook) {
    FIRST.add(hook);
  }

  static void opened(EmbeddedClickHouse ch) {
    OPEN.add(ch);
    if (HOOKED.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime()
            .addShutdownHook(
                Thread.ofPlatform()
                    .name("tlsrpt-embedded-clickhouse-exit")
                    .unstarted(EngineShutdown::closeLeftOpen));
      } catch (IllegalStateException e) {
        // opened while the JVM shuts down: whoever opened it then closes it
      }
    }
  }

  static void closed(EmbeddedClickHouse ch) {
    OPEN.remove(ch);
  }

  private static void closeLeftOpen() {
    for (Thread hook : FIRST) {
      awaitFinished(hook);
    }
    for (EmbeddedClickHouse ch : OPEN) {
      try {
        ch.close(); // after the statement in flight, if any
      } catch (RuntimeException e) {
        System.err.println("tlsrpt: closing " + ch.describe() + " at exit failed: " + e);
      }
    }
  }

  private static void awaitFinished(Thread hook) {
    long deadline = System.nanoTime() + START_WAIT_NANOS;
    try {
      // the JVM starts every hook before it waits for any, but not all at the same instant
      while (hook.getState() == Thread.State.NEW && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      hook.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package org.tlsrpt.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the servers the fixtures start as child processes. */
final class ChildProcesses {
  private ChildProcesses() {}

  /**
   * SIGTERM, then SIGKILL when {@code process} has not ended after {@code grace}; returns once it
   * has ended (or the thread was interrupted, which stays set). Nothing to do for null or a process
   * that ended already.
   */
  static void stop(Process process, Duration grace) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

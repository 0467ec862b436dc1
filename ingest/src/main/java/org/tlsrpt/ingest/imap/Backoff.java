package org.tlsrpt.ingest.imap;

import java.time.Duration;

/** Waits that double after each failure, up to a cap, and start over after a success. */
final class Backoff {
  private final Duration first;
  private final Duration max;
  private Duration next;

  /** Starts at one second, or at {@code max} when that is shorter. */
  Backoff(Duration max) {
    this.max = max;
    this.first = max.compareTo(Duration.ofSeconds(1)) < 0 ? max : Duration.ofSeconds(1);
    this.next = first;
  }

  /** The wait before the next attempt; each call doubles the one after, up to the cap. */
  Duration next() {
    Duration d = next;
    next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
    return d;
  }

  void reset() {
    next = first;
  }
}

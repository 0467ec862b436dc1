package org.tlsrpt.storage.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The waits between attempts after a failure, for every retry loop of tlsrpt (a statement to a
 * ClickHouse server, the spool loader, the Kafka worker's writes and dead letters, IMAP
 * reconnects): the first wait, then each one twice the one before, up to a cap; {@link #reset()}
 * after a success starts over. It lives beside {@link StorageErrors}, the lowest layer that
 * retries. Not thread-safe: one per loop.
 */
public final class Backoff {
  /** How often {@link #await} checks whether it is still wanted. */
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Duration first;
  private final Duration max;
  private Duration next;

  /**
   * @param first the wait before the second attempt (taken as {@code max} when longer)
   * @param max the longest wait
   */
  public Backoff(Duration first, Duration max) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (max.isNegative() || first.isNegative()) {
      throw new IllegalArgumentException("a back-off wait cannot be negative");
    }
    this.max = max;
    this.first = first.compareTo(max) > 0 ? max : first;
    this.next = this.first;
  }

  /** Starts at one second, or at {@code max} when that is shorter. */
  public static Backoff upTo(Duration max) {
    return new Backoff(Duration.ofSeconds(1), max);
  }

  /** The wait before the next attempt; each call doubles the one after, up to the cap. */
  public Duration next() {
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  /** After a success: the next failure waits the first wait again. */
  public void reset() {
    next = first;
  }

  /**
   * Waits {@link #next()}, for as long as {@code wanted} says the attempt after it is still wanted.
   *
   * @see #pause(Duration, BooleanSupplier)
   */
  public boolean await(BooleanSupplier wanted) {
    return pause(next(), wanted);
  }

  /**
   * Waits {@code wait} in short slices, for as long as {@code wanted} says the attempt after it is
   * still wanted (the caller is not stopping, its work is not stale).
   *
   * @return true once the wait is over; false as soon as {@code wanted} turns false or the thread
   *     is interrupted (the interrupt is kept)
   */
  public static boolean pause(Duration wait, BooleanSupplier wanted) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      if (!wanted.getAsBoolean()) {
        return false;
      }
      long rest = deadline - System.nanoTime();
      if (rest <= 0) {
        return true;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(rest, SLICE_NANOS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}

package org.tlsrpt.ingest.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: {@code perMinute} requests a minute, in bursts of up to the
 * same number. Buckets of clients quiet for a while are dropped, so the map stays small.
 */
final class RateLimiter {
  private static final long IDLE_NANOS = 10L * 60 * 1_000_000_000L;

  private final int perMinute;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private long lastSweep = System.nanoTime();

  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }
  }

  /**
   * @param perMinute 0 for no limit
   */
  RateLimiter(int perMinute) {
    this.perMinute = perMinute;
  }

  /** Takes a token for this client; false when it has none left. */
  boolean tryAcquire(String client) {
    if (perMinute <= 0) {
      return true;
    }
    long now = System.nanoTime();
    sweep(now);
    Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(perMinute, now));
    synchronized (b) {
      b.tokens = Math.min(perMinute, b.tokens + (now - b.last) * perMinute / 60e9);
      b.last = now;
      if (b.tokens < 1) {
        return false;
      }
      b.tokens -= 1;
      return true;
    }
  }

  /** Seconds until this client has a token again (for Retry-After). */
  long retryAfterSeconds() {
    return Math.max(1, (long) Math.ceil(60.0 / Math.max(1, perMinute)));
  }

  private void sweep(long now) {
    if (now - lastSweep < IDLE_NANOS) {
      return;
    }
    lastSweep = now;
    buckets.entrySet().removeIf(e -> now - e.getValue().last > IDLE_NANOS);
  }
}

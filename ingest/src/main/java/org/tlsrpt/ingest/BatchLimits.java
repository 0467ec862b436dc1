package org.tlsrpt.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BatchWriter} waits while storage fails, and when it splits a refused batch.
 *
 * @param firstBackoff the wait after the first failed attempt; it doubles after each one
 * @param maxBackoff the longest wait between attempts
 * @param isolateAfterRefusals how many times storage may refuse a batch while it answers before the
 *     batch is split to find the inputs it refuses (1: at the first refusal)
 */
public record BatchLimits(Duration firstBackoff, Duration maxBackoff, int isolateAfterRefusals) {
  public BatchLimits {
    Objects.requireNonNull(firstBackoff, "firstBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (isolateAfterRefusals < 1) {
      throw new IllegalArgumentException(
          "isolateAfterRefusals is at least 1, not " + isolateAfterRefusals);
    }
  }
}

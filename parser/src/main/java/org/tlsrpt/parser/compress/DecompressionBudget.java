package org.tlsrpt.parser.compress;

import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.RejectCode;

/**
 * How many decompressed bytes one input may produce, across all its parts and archive entries: many
 * small bombs in one message cost no more than one. Not thread-safe (one per input).
 */
public final class DecompressionBudget {
  private final long limit;
  private long used;

  public DecompressionBudget(long limit) {
    this.limit = limit;
  }

  /** Records {@code n} more bytes, refusing the input once the limit is passed. */
  public void consume(int n) {
    used += n;
    if (used > limit) {
      throw new InputRejectedException(
          RejectCode.SIZE_LIMIT,
          "decompressed size exceeds "
              + limit
              + " bytes for this input (limit maxDecompressedBytes)");
    }
  }
}

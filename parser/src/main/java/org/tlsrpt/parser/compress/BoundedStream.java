package org.tlsrpt.parser.compress;

import java.io.IOException;
import java.io.InputStream;
import org.tlsrpt.parser.InputRejectedException;
import org.tlsrpt.parser.RejectCode;

/** Counts what passes through and refuses to pass more than a limit. Does not close its source. */
final class BoundedStream extends InputStream {
  private final InputStream in;
  private final long limit;
  private long total;

  BoundedStream(InputStream in, long limit) {
    this.in = in;
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int c = in.read();
    if (c >= 0) {
      count(1);
    }
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) {
    total += n;
    if (total > limit) {
      throw new InputRejectedException(
          RejectCode.SIZE_LIMIT,
          "decompressed size exceeds " + limit + " bytes (limit maxDecompressedBytes)");
    }
  }

  @Override
  public void close() {
    // the source belongs to the caller
  }
}

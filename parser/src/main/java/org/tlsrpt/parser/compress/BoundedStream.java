package org.tlsrpt.parser.compress;

import java.io.IOException;
import java.io.InputStream;

/** Counts what passes through against a budget. Does not close its source. */
final class BoundedStream extends InputStream {
  private final InputStream in;
  private final DecompressionBudget budget;

  BoundedStream(InputStream in, DecompressionBudget budget) {
    this.in = in;
    this.budget = budget;
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
    budget.consume(n);
  }

  @Override
  public void close() {
    // the source belongs to the caller
  }
}

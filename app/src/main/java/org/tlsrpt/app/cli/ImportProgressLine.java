package org.tlsrpt.app.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.tlsrpt.storage.StoreResult;

/** A progress line on a terminal: files done, rate and time left; silent otherwise. */
final class ImportProgressLine {
  private final PrintWriter err;
  private final int files;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long lastPrint;
  private int done;

  ImportProgressLine(PrintWriter err, int files, boolean terminal) {
    this.err = err;
    this.files = files;
    this.terminal = terminal;
  }

  void step(int filesRead, StoreResult sofar) {
    done = filesRead;
    long now = System.nanoTime();
    if (terminal && now - lastPrint > 200_000_000L) {
      lastPrint = now;
      double seconds = (now - start) / 1e9;
      double rate = done / Math.max(seconds, 1e-3);
      long eta = (long) ((files - done) / Math.max(rate, 1e-3));
      int width = 30;
      int filled = files == 0 ? width : (int) ((long) done * width / files);
      err.printf(
          "\r[%s%s] %d/%d files, %.0f files/s, %s left, %d accepted  ",
          "#".repeat(filled),
          ".".repeat(width - filled),
          done,
          files,
          rate,
          Duration.ofSeconds(eta),
          sofar.accepted());
      err.flush();
    }
  }

  void done(StoreResult total) {
    if (terminal) {
      double seconds = (System.nanoTime() - start) / 1e9;
      err.printf("\r%d files in %.1f s%s%n", done, seconds, " ".repeat(60));
      err.flush();
    }
  }
}

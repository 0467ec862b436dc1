package org.tlsrpt.app.serve;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a start has opened so far, closed newest first: at once when a later step of the start fails
 * (so a failed start leaves no thread, port or lock behind), otherwise at close. A part that fails
 * to close does not keep the others open.
 */
final class Teardown implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Closes {@code part} (unless null) at teardown; returns it. */
  synchronized <T extends AutoCloseable> T add(T part) {
    if (part != null) {
      opened.push(part);
    }
    return part;
  }

  /** Runs {@code step} at teardown (to stop what is not {@link AutoCloseable}). */
  void onClose(Runnable step) {
    add(step::run);
  }

  /** Closes everything, newest first; what fails to close is logged. */
  @Override
  public void close() {
    closeAll(null);
  }

  /**
   * Closes everything after {@code failure} ended a start; what fails to close is added to it as
   * suppressed. The caller rethrows {@code failure}.
   */
  void closeAfter(Throwable failure) {
    closeAll(failure);
  }

  private void closeAll(Throwable failure) {
    for (AutoCloseable part = next(); part != null; part = next()) {
      try {
        part.close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (failure != null) {
          failure.addSuppressed(e);
        } else {
          LOG.warn("could not close {}: {}", part, e.toString());
        }
      }
    }
  }

  private synchronized AutoCloseable next() {
    return opened.poll();
  }
}

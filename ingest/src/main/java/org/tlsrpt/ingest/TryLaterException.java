package org.tlsrpt.ingest;

/**
 * A durable store could not take an input now (storage is down, the spool is full, Kafka did not
 * acknowledge, tlsrpt is shutting down): nothing was stored. Thrown by a {@link DurableStore} to
 * the {@link Intake}, which answers the source with {@link Receipt.TryLater}; sources never see it.
 */
public final class TryLaterException extends Exception {
  private static final long serialVersionUID = 1L;

  public TryLaterException(String message, Throwable cause) {
    super(message, cause);
  }
}

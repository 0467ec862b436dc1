package org.tlsrpt.ingest;

/**
 * The input could not be taken now (storage is down, a DKIM key lookup failed temporarily, tlsrpt
 * is shutting down): the source must not acknowledge it and says so in its own terms (SMTP 451,
 * HTTP 503, IMAP: leave the message where it is).
 */
public final class TryLaterException extends Exception {
  private static final long serialVersionUID = 1L;

  public TryLaterException(String message, Throwable cause) {
    super(message, cause);
  }
}

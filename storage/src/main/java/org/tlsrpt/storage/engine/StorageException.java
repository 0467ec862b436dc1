package org.tlsrpt.storage.engine;

/**
 * Storage did not do what was asked. {@link #retriable()} says whether trying again later may work
 * (server down, timeout) or not (bad SQL, schema mismatch); {@link StorageErrors} decides, in one
 * place.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  public StorageException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public StorageException(String message, boolean retriable) {
    this(message, retriable, null);
  }

  public boolean retriable() {
    return retriable;
  }
}

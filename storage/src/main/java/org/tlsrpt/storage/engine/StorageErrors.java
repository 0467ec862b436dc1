package org.tlsrpt.storage.engine;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that decides whether a storage error is worth retrying (as the ClickHouse Kafka
 * Connect sink does): network trouble and the server's transient error codes are retriable; bad
 * SQL, bad data and schema errors are not.
 */
public final class StorageErrors {
  private StorageErrors() {}

  private static final Pattern CODE = Pattern.compile("Code: (\\d+)");

  /**
   * ClickHouse error codes that say "try again": timeouts, too many parts or queries, memory
   * limits, a replica or keeper away, a table being set up.
   */
  private static final Set<Integer> RETRIABLE_CODES =
      Set.of(3, 159, 164, 202, 203, 209, 210, 241, 242, 252, 319, 425, 999, 1000, 225, 285);

  /** Classifies an error message ClickHouse returned for {@code sql}. */
  public static StorageException fromServerMessage(String message, String sql) {
    int code = code(message);
    boolean retriable = RETRIABLE_CODES.contains(code);
    return new StorageException(
        "ClickHouse refused the statement"
            + (code >= 0 ? " (code " + code + ")" : "")
            + ": "
            + firstLine(message)
            + " [statement: "
            + sql
            + "]",
        retriable);
  }

  /** Classifies an exception thrown while talking to a server. */
  public static StorageException fromException(String what, Throwable t) {
    Throwable c = t;
    while (c != null) {
      if (c instanceof ConnectException || c instanceof SocketTimeoutException) {
        return new StorageException(
            what + ": ClickHouse is unreachable (" + c.getMessage() + ")", true, t);
      }
      if (c.getMessage() != null && CODE.matcher(c.getMessage()).find()) {
        StorageException e = fromServerMessage(c.getMessage(), what);
        return new StorageException(e.getMessage(), e.retriable(), t);
      }
      if (c instanceof IOException) {
        return new StorageException(
            what + ": I/O error talking to ClickHouse (" + c.getMessage() + ")", true, t);
      }
      c = c.getCause();
    }
    return new StorageException(what + ": " + t, false, t);
  }

  static int code(String message) {
    Matcher m = CODE.matcher(message == null ? "" : message);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static String firstLine(String m) {
    int nl = m.indexOf('\n');
    return nl < 0 ? m.trim() : m.substring(0, nl).trim();
  }
}

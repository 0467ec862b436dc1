package org.tlsrpt.storage.schema;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.tlsrpt.storage.engine.ServerClickHouse;

/**
 * One of the processes of {@link MigrationLockProcessesIT}: takes the migration lock on a real
 * server and, holding it, does a "migration" that must happen once (when no marker row exists:
 * wait, then write the marker and one effect) and a read-wait-write that two holders at once would
 * interleave. Prints OK, or OVERLAP when another process wrote meanwhile.
 */
public final class LockContender {
  private LockContender() {}

  public static void main(String[] args) {
    try (ServerClickHouse ch =
        new ServerClickHouse(
            args[0], args[1], args[2], 3, Duration.ofMillis(200), Duration.ofSeconds(30))) {
      String db = args[3];
      boolean overlap =
          new MigrationLock(ch, db, Duration.ofMinutes(10))
              .holding(
                  () -> {
                    long before = count(ch, db + ".entered");
                    if (count(ch, db + ".migrated") == 0) {
                      sleep(300);
                      insert(ch, db + ".migrated");
                      insert(ch, db + ".effects");
                    }
                    sleep(200);
                    insert(ch, db + ".entered");
                    return count(ch, db + ".entered") != before + 1;
                  });
      System.out.println(overlap ? "OVERLAP" : "OK");
    }
  }

  private static long count(ServerClickHouse ch, String table) {
    return Long.parseLong(
        new String(ch.query("SELECT count() FROM " + table, "TabSeparated"), StandardCharsets.UTF_8)
            .trim());
  }

  private static void insert(ServerClickHouse ch, String table) {
    ch.insert(table, "TabSeparated", "1\n".getBytes(StandardCharsets.UTF_8));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

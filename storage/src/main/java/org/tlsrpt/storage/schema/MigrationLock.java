package org.tlsrpt.storage.schema;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.StorageException;

/**
 * Lets one process at a time migrate a database that several share (workers started together with
 * {@code docker compose up --scale worker=N}): the lock is a table, {@code schema_migrations_lock},
 * which ClickHouse creates for one of several concurrent {@code CREATE TABLE}s and refuses to the
 * others ("already exists"). The others wait, then find the migrations applied. A lock older than
 * {@code staleAfter} (its holder died mid-migration) is broken with a warning, so a crash never
 * blocks the next start for longer than that.
 *
 * <p>On a cluster the lock lives on the node the process talks to: workers that reach different
 * nodes through a load balancer are not kept apart by it (docs/deployment.md).
 */
final class MigrationLock {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationLock.class);
  static final String TABLE = "schema_migrations_lock";

  private final ClickHouse ch;
  private final String database;
  private final Duration staleAfter;

  MigrationLock(ClickHouse ch, String database, Duration staleAfter) {
    this.ch = ch;
    this.database = database;
    this.staleAfter = staleAfter;
  }

  /** Runs {@code work} holding the lock; the database must exist. */
  <T> T holding(Supplier<T> work) {
    acquire();
    try {
      return work.get();
    } finally {
      try {
        ch.execute("DROP TABLE IF EXISTS " + database + "." + TABLE);
      } catch (StorageException e) {
        LOG.warn(
            "could not release the migration lock ({}); the next start breaks it after {} s",
            e.getMessage(),
            staleAfter.toSeconds());
      }
    }
  }

  private void acquire() {
    boolean told = false;
    while (true) {
      try {
        ch.execute("CREATE TABLE " + database + "." + TABLE + " (holder String) ENGINE = Memory");
        return;
      } catch (StorageException e) {
        if (!taken(e)) {
          throw e;
        }
      }
      long age = ageSeconds();
      if (age > staleAfter.toSeconds()) {
        LOG.warn(
            "breaking a migration lock {} s old (clickhouse.migration_lock_stale_seconds is {}): its"
                + " holder must have died while migrating",
            age,
            staleAfter.toSeconds());
        ch.execute("DROP TABLE IF EXISTS " + database + "." + TABLE);
        continue;
      }
      if (!told) {
        LOG.info("another process is migrating {} (lock {} s old); waiting for it", database, age);
        told = true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("interrupted while waiting for the migration lock", false, e);
      }
    }
  }

  private static boolean taken(StorageException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("(code 57)") || m.contains("already exists");
  }

  /** Seconds since the lock table was made (0 when it is gone meanwhile). */
  private long ageSeconds() {
    String out =
        new String(
                ch.query(
                    "SELECT toUInt64(now() - metadata_modification_time) FROM system.tables WHERE"
                        + " database = '"
                        + database.replace("'", "")
                        + "' AND name = '"
                        + TABLE
                        + "'",
                    "TabSeparated"),
                StandardCharsets.UTF_8)
            .trim();
    return out.isEmpty() ? 0 : Long.parseLong(out);
  }
}

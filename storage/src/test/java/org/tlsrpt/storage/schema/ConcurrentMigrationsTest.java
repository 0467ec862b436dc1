package org.tlsrpt.storage.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.testkit.EmbeddedEngine;

/**
 * Several starts migrating one shared database at once apply each migration once, and a lock left
 * by a holder that died is broken. On the embedded engine (the real one), seen through a wrapper
 * that says it is shared as a server is: the embedded store itself can only be opened by one
 * process. Processes contending for the lock on a real server: {@code MigrationLockProcessesIT}.
 */
class ConcurrentMigrationsTest {
  @TempDir Path dir;

  /** The embedded engine, reporting itself shared, so that migrations take the lock. */
  private static ClickHouse shared(ClickHouse ch) {
    return new ClickHouse() {
      @Override
      public void execute(String sql) {
        ch.execute(sql);
      }

      @Override
      public void insert(String table, String format, byte[] rows) {
        ch.insert(table, format, rows);
      }

      @Override
      public byte[] query(String sql, String format) {
        return ch.query(sql, format);
      }

      @Override
      public String describe() {
        return ch.describe();
      }

      @Override
      public void close() {}
    };
  }

  private static String q(ClickHouse ch, String sql) {
    return new String(ch.query(sql, "TabSeparated"), StandardCharsets.UTF_8).trim();
  }

  @Test
  void startsThatMigrateTogetherApplyEachMigrationOnce() throws Exception {
    try (ClickHouse engine = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir)) {
      ClickHouse ch = shared(engine);
      int starts = 4;
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Migrations.Migration>>> done = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(starts)) {
        for (int i = 0; i < starts; i++) {
          done.add(
              pool.submit(
                  () -> {
                    go.await();
                    return new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
                  }));
        }
        go.countDown();
        int applied = 0;
        for (Future<List<Migrations.Migration>> f : done) {
          applied += f.get().size();
        }
        assertThat(applied)
            .as("migrations applied by all starts together")
            .isEqualTo(Migrations.all().size());
      }
      assertThat(q(ch, "SELECT count(), uniqExact(version) FROM tlsrpt.schema_migrations"))
          .isEqualTo(Migrations.all().size() + "\t" + Migrations.all().size());
      assertThat(q(ch, "SELECT count() FROM system.tables WHERE name = 'schema_migrations_lock'"))
          .as("the lock is released")
          .isEqualTo("0");
    }
  }

  @Test
  void aLockWhoseHolderDiedIsBrokenAfterTheStaleTime() throws Exception {
    try (ClickHouse ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir)) {
      ch.execute("CREATE DATABASE IF NOT EXISTS tlsrpt");
      ch.execute("CREATE TABLE tlsrpt.schema_migrations_lock (holder String) ENGINE = Memory");
      AtomicBoolean ran = new AtomicBoolean();
      // the age is read in whole seconds: a lock older than 1 s is at least 2 s old when broken
      new MigrationLock(ch, "tlsrpt", Duration.ofSeconds(1))
          .holding(
              () -> {
                ran.set(true);
                return null;
              });
      assertThat(ran).isTrue();
      assertThat(q(ch, "SELECT count() FROM system.tables WHERE name = 'schema_migrations_lock'"))
          .isEqualTo("0");
    }
  }

  @Test
  void aWaitingStartRunsOnlyOnceTheHolderReleases() throws Exception {
    try (ClickHouse ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir)) {
      ch.execute("CREATE DATABASE IF NOT EXISTS tlsrpt");
      MigrationLock lock = new MigrationLock(ch, "tlsrpt", Duration.ofMinutes(10));
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean holderDone = new AtomicBoolean();
      Thread holder =
          Thread.ofPlatform()
              .start(
                  () ->
                      lock.holding(
                          () -> {
                            holding.countDown();
                            try {
                              release.await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                            holderDone.set(true);
                            return null;
                          }));
      holding.await();
      AtomicBoolean sawHolderDone = new AtomicBoolean();
      Thread waiter =
          Thread.ofPlatform()
              .start(
                  () ->
                      lock.holding(
                          () -> {
                            sawHolderDone.set(holderDone.get());
                            return null;
                          }));
      Thread.sleep(600); // the waiter tries, finds the lock taken, and waits
      assertThat(waiter.isAlive()).as("the second start waits for the first").isTrue();
      release.countDown();
      holder.join();
      waiter.join();
      assertThat(sawHolderDone).as("the second ran after the first released").isTrue();
    }
  }
}

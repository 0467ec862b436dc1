package org.tlsrpt.storage.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.ServerClickHouse;
import org.tlsrpt.testkit.LocalClickHouseServer;

/**
 * Several processes starting at once against one real ClickHouse server (Debian's 18.16) take the
 * migration lock one at a time: the once-only work happens once, and no holder sees another's write
 * while it holds the lock. (18.16 is too old for the schema itself, so the work here is a stand-in;
 * the shipped migrations under the lock are ConcurrentMigrationsTest's.)
 */
class MigrationLockProcessesIT {
  private static final int PROCESSES = 5;

  @TempDir Path dir;
  private LocalClickHouseServer server;

  @BeforeEach
  void start() throws Exception {
    server = new LocalClickHouseServer(dir);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void processesStartingTogetherHoldTheLockOneAtATime() throws Exception {
    try (ServerClickHouse ch =
        new ServerClickHouse(
            server.url(),
            LocalClickHouseServer.USER,
            LocalClickHouseServer.PASSWORD,
            3,
            Duration.ofMillis(200),
            Duration.ofSeconds(30))) {
      ch.execute("CREATE DATABASE IF NOT EXISTS locktest");
      for (String t : List.of("entered", "migrated", "effects")) {
        ch.execute("CREATE TABLE locktest." + t + " (x UInt8) ENGINE = Memory");
      }
      List<Process> processes = new ArrayList<>();
      for (int i = 0; i < PROCESSES; i++) {
        processes.add(
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx96m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    LockContender.class.getName(),
                    server.url(),
                    LocalClickHouseServer.USER,
                    LocalClickHouseServer.PASSWORD,
                    "locktest")
                .redirectError(
                    ProcessBuilder.Redirect.appendTo(dir.resolve("contenders.log").toFile()))
                .start());
      }
      List<String> said = new ArrayList<>();
      for (Process p : processes) {
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        said.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        assertThat(p.exitValue()).as("a contender failed; see contenders.log").isZero();
      }
      assertThat(said).containsOnly("OK").hasSize(PROCESSES);
      assertThat(count(ch, "locktest.entered")).isEqualTo(PROCESSES);
      assertThat(count(ch, "locktest.migrated")).as("the once-only work").isEqualTo(1);
      assertThat(count(ch, "locktest.effects")).isEqualTo(1);
      assertThat(
              new String(
                      ch.query(
                          "SELECT count() FROM system.tables WHERE database = 'locktest' AND name ="
                              + " 'schema_migrations_lock'",
                          "TabSeparated"),
                      StandardCharsets.UTF_8)
                  .trim())
          .isEqualTo("0");
    }
  }

  private static long count(ServerClickHouse ch, String table) {
    return Long.parseLong(
        new String(ch.query("SELECT count() FROM " + table, "TabSeparated"), StandardCharsets.UTF_8)
            .trim());
  }
}

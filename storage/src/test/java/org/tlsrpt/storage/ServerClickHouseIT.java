package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.ServerClickHouse;
import org.tlsrpt.storage.engine.StorageException;
import org.tlsrpt.testkit.LocalClickHouseServer;

/**
 * The server engine's network path against a real clickhouse-server on loopback: connect,
 * authenticate, stream rows in and out, and the server going away and coming back. Debian's server
 * is 18.16, too old for the schema, so these tests use a minimal table (RECIPES.md).
 */
class ServerClickHouseIT {
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

  private ServerClickHouse client(int attempts) {
    return new ServerClickHouse(
        server.url(),
        LocalClickHouseServer.USER,
        LocalClickHouseServer.PASSWORD,
        attempts,
        Duration.ofMillis(200),
        Duration.ofSeconds(10));
  }

  private static byte[] rows(int from, int count) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < from + count; i++) {
      b.append("{\"id\":").append(i).append(",\"name\":\"report-").append(i).append("\"}\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long count(ServerClickHouse ch) {
    return Long.parseLong(
        new String(ch.query("SELECT count() FROM t", "TabSeparated"), StandardCharsets.UTF_8)
            .trim());
  }

  @Test
  void connectsAuthenticatesAndStreamsRowsInAndOut() {
    try (ServerClickHouse ch = client(1)) {
      assertThat(new String(ch.query("SELECT version()", "TabSeparated"), StandardCharsets.UTF_8))
          .startsWith("18.16");
      ch.execute("CREATE TABLE t (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
      ch.insert("t", "JSONEachRow", rows(0, 50_000));
      assertThat(count(ch)).isEqualTo(50_000);
      String out =
          new String(
              ch.query("SELECT id, name FROM t WHERE id = 4242", "JSONEachRow"),
              StandardCharsets.UTF_8);
      assertThat(out.trim()).isEqualTo("{\"id\":4242,\"name\":\"report-4242\"}");
      ch.insert("t (id, name)", "JSONEachRow", rows(50_000, 10));
      assertThat(count(ch)).isEqualTo(50_010);
    }
  }

  @Test
  void carriesBinaryRowsAndSendsTheConfiguredSettings() {
    try (ServerClickHouse ch =
        new ServerClickHouse(
            server.url(),
            LocalClickHouseServer.USER,
            LocalClickHouseServer.PASSWORD,
            1,
            Duration.ofMillis(200),
            Duration.ofSeconds(10),
            java.util.Map.of("max_threads", "3"))) {
      assertThat(
              new String(
                      ch.query(
                          "SELECT value FROM system.settings WHERE name = 'max_threads'",
                          "TabSeparated"),
                      StandardCharsets.UTF_8)
                  .trim())
          .isEqualTo("3");
      ch.execute("CREATE TABLE b (id UInt32, raw String) ENGINE = MergeTree ORDER BY id");
      java.io.ByteArrayOutputStream rowBinary = new java.io.ByteArrayOutputStream();
      rowBinary.writeBytes(new byte[] {7, 0, 0, 0}); // id 7, UInt32 little-endian
      rowBinary.writeBytes(new byte[] {(byte) 0x80, 0x02}); // 256 bytes follow (LEB128)
      for (int i = 0; i < 256; i++) {
        rowBinary.write(i);
      }
      ch.insert("b (id, raw)", "RowBinary", rowBinary.toByteArray());
      String hex =
          new String(
                  ch.query("SELECT hex(raw) FROM b WHERE id = 7", "TabSeparated"),
                  StandardCharsets.UTF_8)
              .trim();
      assertThat(hex).hasSize(512).startsWith("000102").endsWith("FDFEFF");
    }
  }

  @Test
  void refusesAWrongPasswordAsAPermanentError() {
    try (ServerClickHouse ch =
        new ServerClickHouse(
            server.url(),
            LocalClickHouseServer.USER,
            "wrong",
            3,
            Duration.ofMillis(100),
            Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> ch.query("SELECT 1", "TabSeparated"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retriable()).isFalse())
          .hasMessageContaining("193");
    }
  }

  @Test
  void aStoppedServerIsARetriableErrorAndTheWritesCompleteWhenItIsBack() throws Exception {
    try (ServerClickHouse ch = client(1)) {
      ch.execute("CREATE TABLE t (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
      ch.insert("t", "JSONEachRow", rows(0, 1000));
      server.stop();
      assertThatThrownBy(() -> ch.insert("t", "JSONEachRow", rows(1000, 1000)))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retriable()).isTrue());
      server.start();
      ch.insert("t", "JSONEachRow", rows(1000, 1000)); // the caller retries what failed
      assertThat(count(ch)).isEqualTo(2000);
    }
  }

  @Test
  void retriesWithBackoffWhileTheServerRestarts() throws Exception {
    try (ServerClickHouse setup = client(1)) {
      setup.execute("CREATE TABLE t (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
    }
    server.stop();
    CompletableFuture<Void> restart =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(1500);
                server.start();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try (ServerClickHouse ch = client(8)) {
      ch.insert("t", "JSONEachRow", rows(0, 500)); // fails while down, then succeeds
      restart.get();
      assertThat(count(ch)).isEqualTo(500);
    }
  }
}

package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.engine.StorageException;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/** The storage contract on the embedded engine (chDB, ClickHouse 26.7 in the process). */
class EmbeddedStorageTest implements StorageContract {
  @TempDir Path dir;
  private EmbeddedClickHouse open;

  @Override
  public ClickHouse engine() {
    open = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data"));
    new Migrations(open, SchemaOptions.local(DB)).apply();
    return open;
  }

  @AfterEach
  void close() {
    if (open != null) {
      open.close();
    }
  }

  @Test
  void keepsDataAndSchemaAcrossARestart() {
    ClickHouse ch = engine();
    ch.execute(
        "INSERT INTO "
            + DB
            + ".raw_inputs (sha256, source, status) VALUES ('"
            + "a".repeat(64)
            + "', 'file', 'accepted')");
    ch.close();
    open = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data"));
    assertThat(new Migrations(open, SchemaOptions.local(DB)).apply()).isEmpty();
    assertThat(
            new String(
                    open.query("SELECT count() FROM " + DB + ".raw_inputs", "TabSeparated"),
                    StandardCharsets.UTF_8)
                .trim())
        .isEqualTo("1");
  }

  @Test
  void refusesASecondOwnerOfTheDataDirectoryNamingTheFirst() {
    engine();
    assertThatThrownBy(() -> EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("data")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is in use by another tlsrpt process")
        .hasMessageContaining("pid " + ProcessHandle.current().pid());
  }

  @Test
  void reportsBadSqlAsAPermanentError() {
    ClickHouse ch = engine();
    assertThatThrownBy(() -> ch.query("SELECT nonsense FROM nowhere", "TabSeparated"))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("code 60");
  }
}

package org.tlsrpt.app.config;

import java.nio.file.Path;
import java.util.List;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/** Where reports are stored, and how to open that store with its schema up to date. */
public final class StorageSettings {
  private StorageSettings() {}

  public static final Setting DATA_DIR =
      new Setting(
          "data.dir", "./data", "Directory of the embedded store (one process owns it at a time).");
  public static final Setting CHDB_LIBRARY =
      new Setting(
          "chdb.library",
          "",
          "Path of libchdb.so (chDB 26.7), the embedded ClickHouse engine; ./tlsrpt fetches it into"
              + " ~/.cache/tlsrpt and sets this.");
  public static final Setting DATABASE =
      new Setting("storage.database", "tlsrpt", "ClickHouse database holding the tlsrpt tables.");

  public static final List<Setting> ALL = List.of(DATA_DIR, CHDB_LIBRARY, DATABASE);

  /** Opens the embedded store under {@code dataDir} (or the configured one) and migrates it. */
  public static ClickHouse open(Settings s, Path dataDirOverride) {
    String lib = s.string(CHDB_LIBRARY);
    if (lib.isBlank()) {
      throw new ConfigurationException(
          "the embedded ClickHouse library is not configured: run tlsrpt through ./tlsrpt (which fetches"
              + " it), or set TLSRPT_CHDB_LIBRARY to libchdb.so");
    }
    Path dir = dataDirOverride != null ? dataDirOverride : Path.of(s.string(DATA_DIR));
    ClickHouse ch = EmbeddedClickHouse.open(Path.of(lib), dir);
    try {
      new Migrations(ch, SchemaOptions.local(database(s))).apply();
    } catch (RuntimeException e) {
      ch.close();
      throw e;
    }
    return ch;
  }

  public static String database(Settings s) {
    return s.string(DATABASE);
  }
}

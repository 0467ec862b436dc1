package org.tlsrpt.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.engine.ServerClickHouse;
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

  public static final Setting CLICKHOUSE_URL =
      new Setting(
          "clickhouse.url",
          "",
          "A ClickHouse server (http://host:8123 or https://...) to use instead of the embedded store.");
  public static final Setting CLICKHOUSE_USER =
      new Setting("clickhouse.user", "default", "User on the ClickHouse server.");
  public static final Setting CLICKHOUSE_PASSWORD =
      new Setting(
          "clickhouse.password",
          "",
          "Password on the ClickHouse server (TLSRPT_CLICKHOUSE_PASSWORD_FILE reads it from a file).");
  public static final Setting CLICKHOUSE_RETRIES =
      new Setting(
          "clickhouse.retries",
          "5",
          "Tries per statement when the server is unreachable or busy, with doubling waits from 0.5 s.");
  public static final Setting CLICKHOUSE_TIMEOUT_SECONDS =
      new Setting(
          "clickhouse.timeout_seconds",
          "60",
          "Connect and answer timeout for the ClickHouse server, in seconds.");

  public static final Setting CLICKHOUSE_CLUSTER =
      new Setting(
          "clickhouse.cluster",
          "",
          "A ClickHouse cluster name from the servers' remote_servers: the schema is created ON"
              + " CLUSTER with Replicated tables and Distributed tables over them"
              + " (docs/deployment.md).");

  public static final List<Setting> ALL =
      List.of(
          DATA_DIR,
          CHDB_LIBRARY,
          DATABASE,
          CLICKHOUSE_URL,
          CLICKHOUSE_USER,
          CLICKHOUSE_PASSWORD,
          CLICKHOUSE_RETRIES,
          CLICKHOUSE_TIMEOUT_SECONDS,
          CLICKHOUSE_CLUSTER);

  /** Where the schema lives: the database, and the cluster when clickhouse.cluster is set. */
  public static SchemaOptions schema(Settings s) {
    String cluster = s.string(CLICKHOUSE_CLUSTER).isBlank() ? null : s.string(CLICKHOUSE_CLUSTER);
    return new SchemaOptions(database(s), cluster);
  }

  /**
   * Opens the store, migrated: the ClickHouse server when {@code clickhouse.url} is set, else the
   * embedded store under {@code dataDir} (or the configured one).
   */
  public static ClickHouse open(Settings s, Path dataDirOverride) {
    if (!s.string(CLICKHOUSE_URL).isBlank()) {
      SchemaOptions schema = schema(s);
      String cluster = schema.cluster();
      ClickHouse server =
          new ServerClickHouse(
              s.string(CLICKHOUSE_URL),
              s.string(CLICKHOUSE_USER),
              s.string(CLICKHOUSE_PASSWORD),
              s.integer(CLICKHOUSE_RETRIES),
              Duration.ofMillis(500),
              Duration.ofSeconds(s.integer(CLICKHOUSE_TIMEOUT_SECONDS)),
              // an insert into a Distributed table returns once the shards have the rows
              cluster == null ? Map.of() : Map.of("distributed_foreground_insert", "1"));
      try {
        new Migrations(server, schema).apply();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    }
    String lib = s.string(CHDB_LIBRARY);
    if (!s.string(CLICKHOUSE_CLUSTER).isBlank()) {
      throw new ConfigurationException(
          "clickhouse.cluster is set but clickhouse.url is not: a cluster needs the ClickHouse"
              + " server's URL");
    }
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

  /** The summaries of the configured store (with the clock-skew allowance of a cluster). */
  public static Summaries summaries(Settings s, ClickHouse ch) {
    return s.string(CLICKHOUSE_CLUSTER).isBlank()
        ? new Summaries(ch, database(s))
        : new Summaries(ch, database(s), Summaries.CLUSTER_CLOCK_SKEW);
  }

  public static String database(Settings s) {
    return s.string(DATABASE);
  }

  /** The dashboard's queries on the configured store {@code ch}, or null when there is none. */
  public static org.tlsrpt.storage.DashboardQueries dashboardQueries(Settings s, ClickHouse ch) {
    return ch == null
        ? null
        : new org.tlsrpt.storage.DashboardQueries(ch, database(s), summaries(s, ch));
  }
}

package org.tlsrpt.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Secret;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.storage.DashboardQueries;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.engine.ServerClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * Where reports are stored ({@code data.*}, {@code chdb.*}, {@code storage.*}, {@code
 * clickhouse.*}), read once at start-up by {@link #from}, and how to open that store with its
 * schema up to date.
 *
 * @param dataDir directory of the embedded store (and of serve's spool, IMAP state, TLS files)
 * @param chdbLibrary path of libchdb.so; empty when not configured (only the embedded store needs
 *     it)
 * @param clickhouseUrl the ClickHouse server; empty for the embedded store
 * @param cluster the ClickHouse cluster the schema is created on, or null for none
 */
public record StorageSettings(
    Path dataDir,
    String chdbLibrary,
    String database,
    String clickhouseUrl,
    String clickhouseUser,
    Secret clickhousePassword,
    int clickhouseRetries,
    Duration clickhouseTimeout,
    String cluster,
    Duration migrationLockStale) {

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

  public static final Setting CLICKHOUSE_MIGRATION_LOCK_STALE_SECONDS =
      new Setting(
          "clickhouse.migration_lock_stale_seconds",
          "600",
          "Processes sharing a ClickHouse server migrate its schema one at a time, the others"
              + " waiting; a migration lock older than this is broken (its holder died).");

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
          CLICKHOUSE_CLUSTER,
          CLICKHOUSE_MIGRATION_LOCK_STALE_SECONDS);

  /**
   * Reads and checks the storage keys.
   *
   * @throws ConfigurationException naming the key of a value that is not valid
   */
  public static StorageSettings from(Settings s) {
    return new StorageSettings(
        Path.of(s.string(DATA_DIR)),
        s.string(CHDB_LIBRARY),
        s.string(DATABASE),
        s.string(CLICKHOUSE_URL),
        s.string(CLICKHOUSE_USER),
        s.secret(CLICKHOUSE_PASSWORD),
        s.integer(CLICKHOUSE_RETRIES),
        Duration.ofSeconds(s.integer(CLICKHOUSE_TIMEOUT_SECONDS)),
        s.string(CLICKHOUSE_CLUSTER).isBlank() ? null : s.string(CLICKHOUSE_CLUSTER),
        Duration.ofSeconds(s.integer(CLICKHOUSE_MIGRATION_LOCK_STALE_SECONDS)));
  }

  /** These settings with the data directory a command line gave ({@code --data-dir}), if any. */
  public StorageSettings withDataDir(Path override) {
    return override == null
        ? this
        : new StorageSettings(
            override,
            chdbLibrary,
            database,
            clickhouseUrl,
            clickhouseUser,
            clickhousePassword,
            clickhouseRetries,
            clickhouseTimeout,
            cluster,
            migrationLockStale);
  }

  /** True for the embedded store (no {@code clickhouse.url}): one process owns it at a time. */
  public boolean embedded() {
    return clickhouseUrl.isBlank();
  }

  /**
   * Opens the store, migrated: the ClickHouse server when {@code clickhouse.url} is set, else the
   * embedded store under {@link #dataDir}.
   *
   * @throws ConfigurationException when the embedded store is not configured
   */
  public ClickHouse open() {
    if (!embedded()) {
      SchemaOptions schema = new SchemaOptions(database, cluster);
      ClickHouse server =
          new ServerClickHouse(
              clickhouseUrl,
              clickhouseUser,
              clickhousePassword.value(),
              clickhouseRetries,
              Duration.ofMillis(500),
              clickhouseTimeout,
              // an insert into a Distributed table returns once the shards have the rows
              cluster == null ? Map.of() : Map.of("distributed_foreground_insert", "1"));
      return migrated(server, schema, migrationLockStale);
    }
    if (cluster != null) {
      throw new ConfigurationException(
          "clickhouse.cluster is set but clickhouse.url is not: a cluster needs the ClickHouse"
              + " server's URL");
    }
    if (chdbLibrary.isBlank()) {
      throw new ConfigurationException(
          "the embedded ClickHouse library is not configured: run tlsrpt through ./tlsrpt (which fetches"
              + " it), or set TLSRPT_CHDB_LIBRARY to libchdb.so");
    }
    return migrated(
        EmbeddedClickHouse.open(Path.of(chdbLibrary), dataDir),
        SchemaOptions.local(database),
        migrationLockStale);
  }

  /** Where the schema lives: the database, and the cluster when clickhouse.cluster is set. */
  public SchemaOptions schema() {
    return new SchemaOptions(database, cluster);
  }

  private static ClickHouse migrated(ClickHouse ch, SchemaOptions schema, Duration lockStale) {
    try {
      new Migrations(ch, schema, lockStale).apply();
    } catch (RuntimeException e) {
      ch.close();
      throw e;
    }
    return ch;
  }

  /** The summaries of the configured store (with the clock-skew allowance of a cluster). */
  public Summaries summaries(ClickHouse ch) {
    return cluster == null
        ? new Summaries(ch, database)
        : new Summaries(ch, database, Summaries.CLUSTER_CLOCK_SKEW);
  }

  /** The dashboard's queries on the configured store {@code ch}, or null when there is none. */
  public DashboardQueries dashboardQueries(ClickHouse ch) {
    return ch == null ? null : new DashboardQueries(ch, database, summaries(ch));
  }
}

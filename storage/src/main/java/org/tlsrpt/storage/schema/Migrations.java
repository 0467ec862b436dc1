package org.tlsrpt.storage.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * Applies the versioned schema migrations ({@code schema/V###__name.sql}) that a database has not
 * had yet, in order, and records each in {@code schema_migrations}. Safe to run at every start.
 */
public final class Migrations {
  private static final String DIR = "/org/tlsrpt/storage/schema/";
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([a-z_]+)(?::([a-z_]+))?(?::([^}]+))?}");

  /** The default of {@code clickhouse.migration_lock_stale_seconds}. */
  public static final Duration LOCK_STALE_AFTER = Duration.ofMinutes(10);

  private final ClickHouse ch;
  private final SchemaOptions options;
  private final Duration lockStale;
  private final List<Migration> shipped;

  public Migrations(ClickHouse ch, SchemaOptions options) {
    this(ch, options, LOCK_STALE_AFTER);
  }

  /**
   * @param lockStale a migration lock this old is broken: its holder died
   */
  public Migrations(ClickHouse ch, SchemaOptions options, Duration lockStale) {
    this(ch, options, lockStale, all());
  }

  /** With other migrations than the shipped ones (the tests of the lock on an old server). */
  Migrations(ClickHouse ch, SchemaOptions options, Duration lockStale, List<Migration> shipped) {
    this.ch = ch;
    this.options = options;
    this.lockStale = lockStale;
    this.shipped = List.copyOf(shipped);
  }

  /** A migration file. */
  public record Migration(int version, String name, String sql) {}

  /**
   * Applies what is missing; returns the migrations applied now. Processes that share a server and
   * start together migrate one at a time ({@link MigrationLock}): the first applies, the others
   * wait and find nothing left to do.
   */
  public List<Migration> apply() {
    ch.execute("CREATE DATABASE IF NOT EXISTS " + options.database() + onCluster());
    if (ch.exclusive()) {
      return applyMissing(); // no other process can open this store
    }
    return new MigrationLock(ch, options.database(), lockStale).holding(this::applyMissing);
  }

  private List<Migration> applyMissing() {
    for (String statement :
        statements(
            render(
                "CREATE TABLE IF NOT EXISTS ${db}.schema_migrations${on_cluster} (version UInt32, name String,"
                    + " applied_at DateTime64(3, 'UTC')) ENGINE = ${mergetree:schema_migrations} ORDER BY version"))) {
      ch.execute(statement);
    }
    Set<Integer> applied = applied();
    List<Migration> done = new ArrayList<>();
    for (Migration m : shipped) {
      if (applied.contains(m.version())) {
        continue;
      }
      for (String statement : statements(render(m.sql()))) {
        ch.execute(statement);
      }
      ch.insert(
          options.database() + ".schema_migrations",
          "JSONEachRow",
          ("{\"version\":"
                  + m.version()
                  + ",\"name\":\""
                  + m.name()
                  + "\",\"applied_at\":\""
                  + Instant.now().toString().replace('T', ' ').replace("Z", "")
                  + "\"}\n")
              .getBytes(StandardCharsets.UTF_8));
      done.add(m);
    }
    return done;
  }

  /** The versions recorded as applied. */
  public Set<Integer> applied() {
    String out =
        new String(
            ch.query(
                "SELECT version FROM " + options.database() + ".schema_migrations ORDER BY version",
                "TabSeparated"),
            StandardCharsets.UTF_8);
    Set<Integer> versions = new HashSet<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        versions.add(Integer.parseInt(line.trim()));
      }
    }
    return versions;
  }

  /** Every migration shipped, in version order. */
  public static List<Migration> all() {
    List<Migration> out = new ArrayList<>();
    for (String file :
        resource("index.txt").lines().map(String::trim).filter(s -> !s.isEmpty()).toList()) {
      Matcher m = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql").matcher(file);
      if (!m.matches()) {
        throw new IllegalStateException("migration file name " + file + " is not V###__name.sql");
      }
      out.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), resource(file)));
    }
    return out;
  }

  /** The SQL with placeholders filled for these options. */
  public String render(String sql) {
    Matcher m = PLACEHOLDER.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      String table = m.group(2);
      String version = m.group(3);
      String replacement =
          switch (kind) {
            case "db" -> options.database();
            case "table" -> options.database() + "." + localName(table);
            case "distributed" -> distributed(table, version);
            case "on_cluster" -> onCluster();
            case "replacing" -> engine("ReplacingMergeTree", table, version);
            case "aggregating" -> engine("AggregatingMergeTree", table, null);
            case "mergetree" -> engine("MergeTree", table, null);
            default -> throw new IllegalStateException("unknown placeholder ${" + kind + "}");
          };
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String localName(String table) {
    return options.localName(table);
  }

  /** On a cluster, the Distributed table over the nodes' local tables; nothing on one machine. */
  private String distributed(String table, String shardingKey) {
    if (options.cluster() == null) {
      return "";
    }
    String db = options.database();
    return "CREATE TABLE IF NOT EXISTS "
        + db
        + "."
        + table
        + onCluster()
        + " AS "
        + db
        + "."
        + localName(table)
        + " ENGINE = Distributed("
        + options.cluster()
        + ", "
        + db
        + ", "
        + localName(table)
        + ", "
        + shardingKey
        + ")";
  }

  private String engine(String family, String table, String version) {
    String args = version == null ? "" : version;
    if (options.cluster() == null) {
      return family + "(" + args + ")";
    }
    String path =
        "'/clickhouse/tables/{shard}/" + options.database() + "/" + table + "', '{replica}'";
    return "Replicated" + family + "(" + path + (args.isEmpty() ? "" : ", " + args) + ")";
  }

  private String onCluster() {
    return options.onCluster();
  }

  /** Splits a script at semicolons that end a line; drops comments and empty statements. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (t.startsWith("--") || t.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (t.endsWith(";")) {
        String s = current.toString().strip();
        s = s.substring(0, s.length() - 1).strip();
        if (!s.isEmpty()) {
          out.add(s);
        }
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = Migrations.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("schema resource " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

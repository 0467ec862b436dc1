package org.tlsrpt.storage.engine;

/**
 * The one seam between tlsrpt and ClickHouse, small enough that the embedded engine and a server
 * implement it alike: run a statement, insert rows in a text format, read a result back. Schema,
 * writers and queries are written once on top of it.
 */
public interface ClickHouse extends AutoCloseable {

  /** Runs a statement that returns nothing (DDL, ALTER, OPTIMIZE...). */
  void execute(String sql);

  /** Inserts rows given in {@code format} (e.g. JSONEachRow) into {@code table}. */
  void insert(String table, String format, byte[] rows);

  /**
   * Inserts the first {@code length} bytes of {@code rows} (a buffer that may be longer than its
   * rows); the default copies them once, an engine that can write them as they are overrides it.
   */
  default void insert(String table, String format, byte[] rows, int length) {
    insert(table, format, length == rows.length ? rows : java.util.Arrays.copyOf(rows, length));
  }

  /** Runs a query and returns its whole result in {@code format} (e.g. JSONEachRow, TSV). */
  byte[] query(String sql, String format);

  /**
   * Asks the engine for the smallest answer it can give: returns when it answers, throws (as {@link
   * #query} does) when it cannot. What a health check asks.
   */
  default void ping() {
    query("SELECT 1", "TabSeparated");
  }

  /** Where this engine keeps its data, for messages. */
  String describe();

  /**
   * True when no other process can use this store while this one has it open (the embedded engine
   * locks its directory); a server is shared, so schema changes take a lock.
   */
  default boolean exclusive() {
    return false;
  }

  @Override
  void close();
}

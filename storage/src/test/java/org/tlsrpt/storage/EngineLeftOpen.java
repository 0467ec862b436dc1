package org.tlsrpt.storage;

import java.nio.file.Path;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * A process that opens the embedded engine with the real schema and ends without closing it, run by
 * {@link EmbeddedEngineExitTest} in a child JVM. Arguments: the data directory and how to end:
 * {@code exit} (System.exit(1)), {@code error} (an Error escapes main) or {@code statements} (runs
 * inserts until the process is stopped by a signal).
 */
public final class EngineLeftOpen {
  private EngineLeftOpen() {}

  public static void main(String[] args) {
    EmbeddedClickHouse ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), Path.of(args[0]));
    new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
    insertOne(ch, 0);
    System.out.println("engine open");
    System.out.flush();
    switch (args[1]) {
      case "exit" -> System.exit(1);
      case "error" -> throw new Error("an error escapes main with the engine open");
      case "statements" -> {
        for (int i = 1; ; i++) {
          insertOne(ch, i);
        }
      }
      default -> throw new IllegalArgumentException(args[1]);
    }
  }

  /**
   * A row in {@code reports}: a data part of a table with a skip index (report_key_bloom), which is
   * what libchdb's exit-time teardown of an open connection trips over.
   */
  private static void insertOne(EmbeddedClickHouse ch, int i) {
    ch.execute(
        "INSERT INTO tlsrpt.reports (organization, report_id, report_key) VALUES ('left-open', 'r"
            + i
            + "', 'k"
            + i
            + "')");
  }
}

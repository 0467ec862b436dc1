package org.tlsrpt.ingest;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.StorageException;

/**
 * A real engine that refuses one chosen input while it is up: an insert into the {@code reports}
 * table whose rows carry {@code reportId} (RowBinary writes it as it is) fails with a non-retriable
 * {@link StorageException}, as ClickHouse refuses a row it cannot take. Everything else, the same
 * input kept as rejected in {@code raw_inputs} included, goes to the real engine; {@link
 * #everywhere} refuses the input's raw bytes in every table too.
 */
public final class RefusingClickHouse implements ClickHouse {
  private final ClickHouse real;
  private final String reportId;
  private final boolean everywhere;
  private final AtomicInteger refusals = new AtomicInteger();

  public RefusingClickHouse(ClickHouse real, String reportId) {
    this(real, reportId, false);
  }

  private RefusingClickHouse(ClickHouse real, String reportId, boolean everywhere) {
    this.real = real;
    this.reportId = reportId;
    this.everywhere = everywhere;
  }

  /** Refuses every insert whose rows carry {@code reportId}: even the input kept as rejected. */
  public static RefusingClickHouse everywhere(ClickHouse real, String reportId) {
    return new RefusingClickHouse(real, reportId, true);
  }

  /** Inserts refused so far. */
  public int refusals() {
    return refusals.get();
  }

  @Override
  public void execute(String sql) {
    real.execute(sql);
  }

  @Override
  public void insert(String table, String format, byte[] rows) {
    if ((everywhere || table.contains(".reports "))
        && new String(rows, StandardCharsets.ISO_8859_1).contains(reportId)) {
      refusals.incrementAndGet();
      throw new StorageException(
          "ClickHouse refused the statement (code 27): cannot parse the row of report "
              + reportId
              + " (injected)",
          false);
    }
    real.insert(table, format, rows);
  }

  @Override
  public byte[] query(String sql, String format) {
    return real.query(sql, format);
  }

  @Override
  public String describe() {
    return "refusing " + real.describe();
  }

  @Override
  public void close() {
    // the real engine belongs to the test
  }
}

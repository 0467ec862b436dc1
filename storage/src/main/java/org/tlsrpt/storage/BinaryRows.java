package org.tlsrpt.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds rows in ClickHouse's RowBinary format, column by column in the order the first row names
 * them; {@link #columns()} gives the list for the INSERT. Each method writes one column type:
 * RowBinary has no names or types in the data, so the method must match the column's type in the
 * schema (V001__reports.sql).
 */
final class BinaryRows {
  private final RowBuffer out;
  private final List<String> columns = new ArrayList<>();
  private boolean first = true;
  private int rows;

  BinaryRows() {
    this(1 << 16);
  }

  /** Rows in a buffer of {@code capacity} bytes to begin with (it grows when needed). */
  BinaryRows(int capacity) {
    out = new RowBuffer(capacity);
  }

  BinaryRows begin() {
    return this;
  }

  /** Begins a row with the columns of the report key, which every report table orders by. */
  BinaryRows beginReport(org.tlsrpt.parser.model.TlsReport r) {
    return str("organization", r.organizationName())
        .str("report_id", r.reportId())
        .time("date_start", r.dateRange().start())
        .time("date_end", r.dateRange().end());
  }

  private void name(String column) {
    if (first) {
      columns.add(column);
    }
  }

  /** String or LowCardinality(String); null is written as "". */
  BinaryRows str(String column, String value) {
    name(column);
    string(value == null ? "" : value);
    return this;
  }

  /** Nullable(String). */
  BinaryRows nullableStr(String column, String value) {
    name(column);
    if (value == null) {
      out.write(1);
    } else {
      out.write(0);
      string(value);
    }
    return this;
  }

  /** FixedString(n) holding ASCII (hex keys). */
  BinaryRows fixed(String column, String value, int n) {
    name(column);
    byte[] b = value.getBytes(StandardCharsets.US_ASCII);
    if (b.length != n) {
      throw new IllegalArgumentException(column + " must be " + n + " characters: " + value);
    }
    out.write(b, 0, n);
    return this;
  }

  /** DateTime64(3): milliseconds since the epoch. */
  BinaryRows time(String column, Instant value) {
    name(column);
    int64(value.toEpochMilli());
    return this;
  }

  BinaryRows uint16(String column, int value) {
    name(column);
    out.write(value);
    out.write(value >>> 8);
    return this;
  }

  BinaryRows uint32(String column, long value) {
    name(column);
    int32((int) value);
    return this;
  }

  BinaryRows uint64(String column, long value) {
    name(column);
    int64(value);
    return this;
  }

  /** Nullable(UInt32). */
  BinaryRows nullableUint32(String column, Long value) {
    name(column);
    if (value == null) {
      out.write(1);
    } else {
      out.write(0);
      int32((int) (long) value);
    }
    return this;
  }

  /** Array(String); null is an empty array. */
  BinaryRows array(String column, List<String> values) {
    name(column);
    List<String> v = values == null ? List.of() : values;
    varint(v.size());
    for (String s : v) {
      string(s == null ? "" : s);
    }
    return this;
  }

  void end() {
    first = false;
    rows++;
  }

  int rows() {
    return rows;
  }

  /** The column list for the INSERT, e.g. {@code (organization, report_id, ...)}. */
  String columns() {
    return "(" + String.join(", ", columns) + ")";
  }

  /** Inserts the rows into {@code table} (its name and column list) without copying them. */
  void insertInto(org.tlsrpt.storage.engine.ClickHouse ch, String table, String format) {
    ch.insert(table, format, out.array(), out.size());
  }

  private void string(String s) {
    out.string(s.getBytes(StandardCharsets.UTF_8));
  }

  private void varint(long n) {
    out.varint(n);
  }

  private void int32(int v) {
    out.int32(v);
  }

  private void int64(long v) {
    out.int64(v);
  }
}

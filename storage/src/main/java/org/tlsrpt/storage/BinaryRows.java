package org.tlsrpt.storage;

import java.io.ByteArrayOutputStream;
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
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
  private final List<String> columns = new ArrayList<>();
  private boolean first = true;
  private int rows;

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

  byte[] bytes() {
    return out.toByteArray();
  }

  private void string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(b.length);
    out.write(b, 0, b.length);
  }

  /** Unsigned LEB128, as RowBinary writes lengths. */
  private void varint(long n) {
    while (n >= 0x80) {
      out.write((int) (n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write((int) n);
  }

  private void int32(int v) {
    for (int i = 0; i < 4; i++) {
      out.write(v >>> (8 * i));
    }
  }

  private void int64(long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)));
    }
  }
}

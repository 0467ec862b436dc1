package org.tlsrpt.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Builds the rows of {@code raw_inputs} in ClickHouse's RowBinary format, so the exact received
 * bytes travel as they are (no text encoding to undo).
 */
final class RawRows {
  static final String COLUMNS =
      "(sha256, received_at, source, size, raw, status, code, message, version)";
  static final String FORMAT = "RowBinary";

  /** Bytes of a row beyond its raw input: the hash, times, lengths and short strings. */
  static final int ROW_OVERHEAD = 256;

  private final RowBuffer out;
  private int rows;

  /**
   * Rows in a buffer of {@code capacity} bytes to begin with: the caller sizes it from the raw
   * inputs it will add ({@link #ROW_OVERHEAD} per row on top), so the buffer rarely grows.
   */
  RawRows(int capacity) {
    out = new RowBuffer(capacity);
  }

  void add(
      String sha256,
      Instant receivedAt,
      String source,
      byte[] raw,
      String status,
      String code,
      String message,
      long version) {
    byte[] sha = sha256.getBytes(StandardCharsets.US_ASCII);
    if (sha.length != 64) {
      throw new IllegalArgumentException("not a SHA-256 in hex: " + sha256);
    }
    out.write(sha, 0, 64); // FixedString(64)
    int64(receivedAt.toEpochMilli()); // DateTime64(3): milliseconds since the epoch
    string(source.getBytes(StandardCharsets.UTF_8));
    int32(raw.length); // UInt32
    string(raw);
    string(status.getBytes(StandardCharsets.UTF_8));
    string(code.getBytes(StandardCharsets.UTF_8));
    string(message.getBytes(StandardCharsets.UTF_8));
    int64(version); // UInt64
    rows++;
  }

  private void string(byte[] b) {
    out.string(b);
  }

  private void int32(int v) {
    out.int32(v);
  }

  private void int64(long v) {
    out.int64(v);
  }

  int rows() {
    return rows;
  }

  /** Inserts the rows into {@code table} (its name and column list) without copying them. */
  void insertInto(org.tlsrpt.storage.engine.ClickHouse ch, String table, String format) {
    ch.insert(table, format, out.array(), out.size());
  }
}

package org.tlsrpt.storage;

import java.io.ByteArrayOutputStream;
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

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
  private int rows;

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

  /** A String: its length as an unsigned LEB128 number, then the bytes. */
  private void string(byte[] b) {
    long n = b.length;
    while (n >= 0x80) {
      out.write((int) (n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write((int) n);
    out.write(b, 0, b.length);
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

  int rows() {
    return rows;
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}

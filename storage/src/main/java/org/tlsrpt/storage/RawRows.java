package org.tlsrpt.storage;

import java.time.Instant;
import java.util.Base64;

/**
 * Builds the rows of {@code raw_inputs}. The exact received bytes travel base64-encoded in the
 * EPHEMERAL column {@code raw_base64}, from which the table decodes and stores them as they were.
 */
final class RawRows {
  private final JsonRows rows = new JsonRows();

  void add(
      String sha256,
      Instant receivedAt,
      String source,
      byte[] raw,
      String status,
      String code,
      String message,
      long version) {
    rows.begin()
        .str("sha256", sha256)
        .time("received_at", receivedAt)
        .str("source", source)
        .num("size", raw.length)
        .str("raw_base64", Base64.getEncoder().encodeToString(raw))
        .str("status", status)
        .str("code", code)
        .str("message", message)
        .num("version", version)
        .end();
  }

  int rows() {
    return rows.rows();
  }

  byte[] bytes() {
    return rows.bytes();
  }
}

package org.tlsrpt.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.testkit.EmbeddedEngine;

/** Inserting the first bytes of a longer buffer, as the row writers hand theirs over. */
class EmbeddedInsertTest {
  @TempDir Path dir;

  @Test
  void insertsOnlyTheRowsAtTheStartOfTheBuffer() {
    try (EmbeddedClickHouse ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir)) {
      ch.execute("CREATE TABLE t (s String) ENGINE = MergeTree ORDER BY s");
      // RowBinary String "ab" (length 2, then the bytes), then garbage past the given length
      byte[] buffer = {2, 'a', 'b', 5, 'x', 'x'};
      ch.insert("t", "RowBinary", buffer, 3);
      ch.insert("t", "TabSeparated", "cd\nzz\n".getBytes(StandardCharsets.UTF_8), 3);
      assertThat(
              new String(
                  ch.query("SELECT s FROM t ORDER BY s", "TabSeparated"), StandardCharsets.UTF_8))
          .isEqualTo("ab\ncd\n");
    }
  }
}

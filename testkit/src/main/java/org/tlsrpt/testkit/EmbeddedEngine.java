package org.tlsrpt.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the embedded engine (libchdb.so): {@code -Dtlsrpt.chdb.library} or {@code
 * TLSRPT_CHDB_LIBRARY}, as scripts/test and .ci/run set it after fetching the library. Missing
 * means failing, never skipping.
 */
public final class EmbeddedEngine {
  private EmbeddedEngine() {}

  public static Path library() {
    String env = System.getenv("TLSRPT_CHDB_LIBRARY");
    String prop = System.getProperty("tlsrpt.chdb.library");
    String path = prop != null ? prop : env;
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "libchdb.so not found (TLSRPT_CHDB_LIBRARY="
              + path
              + "); run the tests with scripts/test, which fetches it");
    }
    return Path.of(path);
  }
}

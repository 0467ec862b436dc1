package org.tlsrpt.storage;

import java.nio.file.Path;

/**
 * Where the tests find libchdb.so: {@code TLSRPT_CHDB_LIBRARY}, as scripts/test and .ci/run set it
 * after fetching the library. Missing means failing, never skipping.
 */
final class EmbeddedEngine {
  private EmbeddedEngine() {}

  static Path library() {
    return org.tlsrpt.testkit.EmbeddedEngine.library();
  }
}

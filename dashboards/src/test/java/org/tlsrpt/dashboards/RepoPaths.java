package org.tlsrpt.dashboards;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the checkout, the Grafana files, the public samples and libchdb.so. Anything
 * missing fails the test that needs it; nothing is skipped.
 */
final class RepoPaths {
  private RepoPaths() {}

  /** The folder holding {@code mvnw}. */
  static final Path ROOT = root();

  static final Path GRAFANA = ROOT.resolve("dashboards/src/main/grafana");
  static final Path DASHBOARDS = GRAFANA.resolve("dashboards");
  static final Path ALERTING = GRAFANA.resolve("provisioning/alerting");

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("repository root (the folder with mvnw) not found");
    }
    return p;
  }

  /** The public sample reports beside the checkout. */
  static Path samples() {
    Path dir = ROOT.getParent().resolve("shared/samples/public");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          dir + " not found: the public samples sit beside the checkout");
    }
    return dir;
  }

  /** libchdb.so, as scripts/test and .ci/run set it in TLSRPT_CHDB_LIBRARY. */
  static Path chdbLibrary() {
    String prop = System.getProperty("tlsrpt.chdb.library");
    String path = prop != null ? prop : System.getenv("TLSRPT_CHDB_LIBRARY");
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "libchdb.so not found (TLSRPT_CHDB_LIBRARY="
              + path
              + "); run the tests with scripts/test, which fetches it");
    }
    return Path.of(path);
  }
}

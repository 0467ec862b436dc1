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
    return org.tlsrpt.testkit.RepoLayout.root();
  }

  /** The public sample reports beside the checkout. */
  static Path samples() {
    return org.tlsrpt.testkit.RepoLayout.samples();
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

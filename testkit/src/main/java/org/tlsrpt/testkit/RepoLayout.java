package org.tlsrpt.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the checkout and the public sample reports: the checkout is the folder
 * holding {@code mvnw} above the working directory, and the samples are in {@code
 * ../shared/samples/public} beside it (or the folder named by {@code -Dtlsrpt.samples}). Missing
 * means failing, never skipping.
 */
public final class RepoLayout {
  private RepoLayout() {}

  /** The checkout's root: the nearest folder above the working directory that holds mvnw. */
  public static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "cannot find the repository root (no mvnw above " + Path.of("").toAbsolutePath() + ")");
    }
    return p;
  }

  /** The public sample reports. */
  public static Path samples() {
    String configured = System.getProperty("tlsrpt.samples");
    Path samples =
        configured != null
            ? Path.of(configured)
            : root().getParent().resolve("shared/samples/public");
    if (!Files.isDirectory(samples)) {
      throw new IllegalStateException(
          "sample reports not found at " + samples + "; set -Dtlsrpt.samples=DIR");
    }
    return samples;
  }

  /** One public sample report, which must exist. */
  public static Path sample(String name) {
    Path f = samples().resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new IllegalStateException("sample report " + f + " not found");
    }
    return f;
  }
}

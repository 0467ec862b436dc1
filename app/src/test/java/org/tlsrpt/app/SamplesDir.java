package org.tlsrpt.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** The public samples beside the checkout (../shared/samples/public); missing means failing. */
final class SamplesDir {
  private SamplesDir() {}

  static Path get() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("repository root not found");
    }
    Path samples = p.getParent().resolve("shared/samples/public");
    if (!Files.isDirectory(samples)) {
      throw new IllegalStateException("sample reports not found at " + samples);
    }
    return samples;
  }
}

package org.tlsrpt.app;

import java.nio.file.Path;

/** The public samples beside the checkout (../shared/samples/public); missing means failing. */
final class SamplesDir {
  private SamplesDir() {}

  static Path get() {
    return org.tlsrpt.testkit.RepoLayout.samples();
  }
}

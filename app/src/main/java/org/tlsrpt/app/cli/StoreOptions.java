package org.tlsrpt.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The option every command that opens the store takes. */
final class StoreOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The store (default: $TLSRPT_DATA_DIR or ./data).")
  Path dataDir;
}

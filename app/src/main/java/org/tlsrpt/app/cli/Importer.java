package org.tlsrpt.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.StoreResult;

/** Reads files into the store in batches: the loop of {@code tlsrpt import} and its benchmark. */
public final class Importer {
  private final ReportParser parser;
  private final ReportStore store;
  private final int batchSize;

  public Importer(ReportParser parser, ReportStore store, int batchSize) {
    this.parser = parser;
    this.store = store;
    this.batchSize = batchSize;
  }

  /** Imports the files; {@code afterFile} sees the running totals. */
  public StoreResult run(List<Path> files, Consumer<StoreResult> afterFile) throws IOException {
    StoreResult total = StoreResult.EMPTY;
    List<Incoming> batch = new ArrayList<>(batchSize);
    long P = 0, S = 0;
    for (Path file : files) {
      long a = System.nanoTime();
      InputFiles.read(
          file,
          input -> batch.add(Incoming.of(parser.parse(input.bytes()), "file", Instant.now())));
      long b = System.nanoTime();
      P += b - a;
      if (batch.size() >= batchSize) {
        total = total.plus(store.store(batch));
        batch.clear();
      }
      S += System.nanoTime() - b;
      afterFile.accept(total);
    }
    System.err.printf("TIMING read+parse %d ms store %d ms%n", P / 1000000, S / 1000000);
    return total.plus(store.store(batch));
  }

  /** The files below the paths (see {@code tlsrpt import}). */
  public static List<Path> files(List<Path> paths) throws IOException {
    return InputFiles.files(paths);
  }
}

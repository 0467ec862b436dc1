package org.tlsrpt.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.StoreResult;

/**
 * Reads files into the store in batches: the loop of {@code tlsrpt import} and its benchmark. One
 * thread reads and parses the next batch while the calling thread stores the previous one.
 */
public final class Importer {
  private final ReportParser parser;
  private final ReportStore store;
  private final int batchSize;

  public Importer(ReportParser parser, ReportStore store, int batchSize) {
    this.parser = parser;
    this.store = store;
    this.batchSize = batchSize;
  }

  /** What the importer has done so far. */
  public interface Progress {
    void stored(int filesRead, StoreResult sofar);
  }

  /** Imports the files; {@code progress} hears after every stored batch. */
  public StoreResult run(List<Path> files, Progress progress) throws IOException {
    BlockingQueue<ImportBatch> ready = new ArrayBlockingQueue<>(1);
    Thread reader =
        Thread.ofPlatform()
            .name("tlsrpt-import-reader")
            .daemon()
            .start(
                () -> {
                  List<Incoming> batch = new ArrayList<>(batchSize);
                  int read = 0;
                  try {
                    for (Path file : files) {
                      InputFiles.read(file, input -> batch.add(parse(input.bytes())));
                      read++;
                      if (batch.size() >= batchSize) {
                        ready.put(new ImportBatch(List.copyOf(batch), read, null));
                        batch.clear();
                      }
                    }
                    ready.put(new ImportBatch(List.copyOf(batch), read, null));
                    ready.put(new ImportBatch(null, read, null));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (IOException | RuntimeException | Error e) {
                    try {
                      ready.put(new ImportBatch(null, read, e)); // waits for room: never dropped
                    } catch (InterruptedException stop) {
                      Thread.currentThread().interrupt();
                    }
                  }
                });
    StoreResult total = StoreResult.EMPTY;
    try {
      while (true) {
        ImportBatch b = ready.take();
        if (b.failure() != null) {
          switch (b.failure()) {
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(b.failure());
          }
        }
        if (b.inputs() == null) {
          return total;
        }
        total = total.plus(store.store(b.inputs()));
        progress.stored(b.filesRead(), total);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted while importing", e));
    } finally {
      reader.interrupt();
    }
  }

  private Incoming parse(byte[] bytes) {
    Incoming in = Incoming.of(parser.parse(bytes), Source.FILE, Instant.now());
    in.outcome().rawSha256(); // hash here, off the storing thread
    return in;
  }

  /** The files below the paths (see {@code tlsrpt import}). */
  public static List<Path> files(List<Path> paths) throws IOException {
    return InputFiles.files(paths);
  }
}

package org.tlsrpt.ingest.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The loader's position in the spool, kept in {@code checkpoint}: written to a temporary file,
 * fsync'd, renamed. Without one, loading starts at the first segment.
 */
final class SpoolCheckpoint {
  private final Path dir;
  private final SpoolSegments segments;

  SpoolCheckpoint(Path dir, SpoolSegments segments) {
    this.dir = dir;
    this.segments = segments;
  }

  /** Where the loader stopped last time. */
  SpoolPosition read() {
    Path f = dir.resolve("checkpoint");
    try {
      if (!Files.exists(f)) {
        return new SpoolPosition(
            segments.list().stream().mapToLong(Long::longValue).min().orElse(0), 0);
      }
      String[] v = Files.readString(f, StandardCharsets.US_ASCII).trim().split(" ");
      return new SpoolPosition(Long.parseLong(v[0]), Long.parseLong(v[1]));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "the spool checkpoint " + f + " cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** Replaces the checkpoint durably. */
  void write(SpoolPosition p) throws IOException {
    Path tmp = dir.resolve("checkpoint.tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(
          ByteBuffer.wrap(
              (p.segment() + " " + p.offset() + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(
        tmp,
        dir.resolve("checkpoint"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    segments.forceDirectory();
  }
}

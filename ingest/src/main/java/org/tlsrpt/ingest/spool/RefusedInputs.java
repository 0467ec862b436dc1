package org.tlsrpt.ingest.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.parser.RawInput;

/**
 * Inputs storage refused even as rejected, kept beside the segments so that the loader can move
 * past them without losing them: the exact bytes in {@code refused/<sha256>}, the reason in {@code
 * refused/<sha256>.reason}.
 */
final class RefusedInputs {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  private RefusedInputs() {}

  /** Keeps the input durably in {@code dir/refused}; returns the file holding the bytes. */
  static Path keep(Path dir, Envelope e, String reason) {
    String sha = new RawInput(e.raw()).sha256();
    Path refused = dir.resolve("refused");
    Path file = refused.resolve(sha);
    try {
      Files.createDirectories(refused);
      Files.write(file, e.raw());
      Files.writeString(
          refused.resolve(sha + ".reason"),
          "source="
              + e.source().wire()
              + " received_at="
              + e.receivedAt()
              + (e.contentType() == null ? "" : " content_type=" + e.contentType())
              + "\n"
              + reason
              + "\n",
          StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      SpoolSegments.forceDirectory(refused);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot keep a refused input in " + refused, ex);
    }
    LOG.error(
        "input sha256={} source={} outcome=refused: storage refused it even as rejected; its bytes"
            + " are kept in {} ({})",
        sha,
        e.source().wire(),
        file,
        reason);
    return file;
  }
}

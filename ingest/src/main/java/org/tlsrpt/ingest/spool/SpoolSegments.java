package org.tlsrpt.ingest.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The spool directory's segment files, {@code seg-<number>.log}: their names and listing. */
final class SpoolSegments {
  private static final Pattern SEGMENT = Pattern.compile("seg-(\\d{20})\\.log");

  private final Path dir;

  SpoolSegments(Path dir) {
    this.dir = dir;
  }

  /** The numbers of the segments on disk, in order. */
  List<Long> list() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> SEGMENT.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Long.parseLong(m.group(1)))
          .sorted()
          .toList();
    }
  }

  Path file(long seg) {
    return dir.resolve(String.format("seg-%020d.log", seg));
  }

  /** Makes the directory's entries (new, renamed or deleted files) durable. */
  void forceDirectory() throws IOException {
    forceDirectory(dir);
  }

  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}

package org.tlsrpt.parser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the public sample reports in {@code ../shared/samples/public} beside the checkout (or the
 * folder named by the system property {@code tlsrpt.samples}). A missing folder fails the tests: it
 * is never a reason to skip them.
 */
final class Samples {
  private Samples() {}

  static Path dir() {
    return org.tlsrpt.testkit.RepoLayout.samples();
  }

  static List<Path> all() {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".eml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] read(String name) {
    try {
      return Files.readAllBytes(dir().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

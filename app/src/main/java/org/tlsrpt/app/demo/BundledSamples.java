package org.tlsrpt.app.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The real sample reports bundled in the application (see samples/README.md for attribution). */
public final class BundledSamples {
  private BundledSamples() {}

  private static final String DIR = "/org/tlsrpt/app/samples/";

  /** Name and bytes of each bundled report. */
  public record Sample(String name, byte[] bytes) {}

  public static List<Sample> all() {
    List<Sample> out = new ArrayList<>();
    for (String name :
        resource("index.txt").lines().map(String::trim).filter(s -> !s.isEmpty()).toList()) {
      out.add(new Sample(name, bytes(name)));
    }
    return out;
  }

  private static String resource(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String name) {
    try (InputStream in = BundledSamples.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("bundled sample " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

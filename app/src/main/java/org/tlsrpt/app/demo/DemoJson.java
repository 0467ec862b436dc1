package org.tlsrpt.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** JSON trees of the bundled samples, written back pretty-printed and gzipped for the demo. */
final class DemoJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private DemoJson() {}

  static ObjectNode tree(byte[] json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(JsonNode n) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] sampleBytes(List<BundledSamples.Sample> samples, String name) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("bundled sample " + name + " is missing"))
        .bytes();
  }
}

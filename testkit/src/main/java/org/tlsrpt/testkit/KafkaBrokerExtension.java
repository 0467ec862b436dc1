package org.tlsrpt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalKafkaBroker} for the tests of a class, started in a temporary directory before
 * them and stopped (its directory removed) after them:
 *
 * <pre>
 * {@code @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();}
 * </pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private LocalKafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("tlsrpt-kafka-");
    broker = LocalKafkaBroker.start(dir.resolve("kafka"), List.of());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (broker != null) {
      broker.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(KafkaBrokerExtension::delete);
      }
    }
  }

  /** host:port of the broker, for the clients' bootstrap.servers. */
  public String bootstrap() {
    return broker.bootstrap();
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

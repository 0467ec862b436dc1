package org.tlsrpt.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.zip.GZIPOutputStream;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.engine.ServerClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import org.tlsrpt.testkit.FreePorts;

/**
 * A real embedded store in a temporary directory and the intake in front of it, for the source
 * tests; or an intake whose storage is down (a ClickHouse server URL nothing listens on).
 */
public final class IngestTestAccess implements AutoCloseable {
  static final String DB = "tlsrpt";

  public final ClickHouse ch;
  final BatchingStore store;
  final Intake intake;

  private IngestTestAccess(ClickHouse ch) {
    this.ch = ch;
    this.store = new BatchingStore(new ReportStore(ch, DB), 500, 64L << 20, 5000);
    this.intake = new Intake(new ReportParser(), store, null, DkimMode.OFF);
  }

  /** A working store under {@code dir}. */
  public static IngestTestAccess embedded(Path dir) {
    ClickHouse ch = EmbeddedClickHouse.open(chdbLibrary(), dir);
    new Migrations(ch, SchemaOptions.local(DB)).apply();
    return new IngestTestAccess(ch);
  }

  /** Storage that is down: every write fails with a refused connection. */
  public static IngestTestAccess storageDown() {
    return new IngestTestAccess(
        new ServerClickHouse(
            "http://127.0.0.1:" + FreePorts.tcp(),
            "default",
            "",
            1,
            Duration.ofMillis(10),
            Duration.ofSeconds(2)));
  }

  public Summaries.Summary totals() {
    return new Summaries(ch, DB).summary(LocalDate.parse("2000-01-01"), null, Summaries.By.ORG);
  }

  public String query(String sql) {
    return new String(ch.query(sql, "TabSeparated"), StandardCharsets.UTF_8).trim();
  }

  public Intake intake() {
    return intake;
  }

  @Override
  public void close() {
    store.close();
    ch.close();
  }

  static Path chdbLibrary() {
    return org.tlsrpt.testkit.EmbeddedEngine.library();
  }

  /** The public samples beside the checkout ({@code ../shared/samples/public}). */
  public static Path sample(String name) {
    return org.tlsrpt.testkit.RepoLayout.sample(name);
  }

  public static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

package org.tlsrpt.ingest.imap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.tlsrpt.ingest.BatchingStore;
import org.tlsrpt.ingest.DkimMode;
import org.tlsrpt.ingest.Intake;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.RawArchive;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * An {@link Intake} over a real store: the embedded ClickHouse engine in a directory (found through
 * {@code TLSRPT_CHDB_LIBRARY}, as scripts/test sets it; missing means failing), or any other
 * engine, e.g. a server that is down. DKIM is off.
 */
final class TestStore implements AutoCloseable {
  static final String DB = "tlsrpt";

  private final ClickHouse ch;
  private final BatchingStore batching;
  private final Intake intake;

  private TestStore(ClickHouse ch) {
    this.ch = ch;
    this.batching = new BatchingStore(new ReportStore(ch, DB), 16, 64L << 20, 64);
    this.intake = new Intake(new ReportParser(), batching, null, DkimMode.OFF);
  }

  /** The embedded engine with the schema applied. */
  static TestStore embedded(Path dir) {
    EmbeddedClickHouse ch = EmbeddedClickHouse.open(library(), dir);
    new Migrations(ch, SchemaOptions.local(DB)).apply();
    return new TestStore(ch);
  }

  /** Any engine, used as it is (no schema applied). */
  static TestStore over(ClickHouse ch) {
    return new TestStore(ch);
  }

  Intake intake() {
    return intake;
  }

  Summaries.Summary summary() {
    return new Summaries(ch, DB).summary(LocalDate.parse("2000-01-01"), null, Summaries.By.ORG);
  }

  List<RawArchive.Entry> archive() {
    List<RawArchive.Entry> all = new ArrayList<>();
    new RawArchive(ch, DB).forEach(100, all::addAll);
    return all;
  }

  private static Path library() {
    String prop = System.getProperty("tlsrpt.chdb.library");
    String path = prop != null ? prop : System.getenv("TLSRPT_CHDB_LIBRARY");
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "libchdb.so not found (TLSRPT_CHDB_LIBRARY="
              + path
              + "); run the tests with scripts/test, which fetches it");
    }
    return Path.of(path);
  }

  @Override
  public void close() {
    batching.close();
    ch.close();
  }
}

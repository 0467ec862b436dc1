package org.tlsrpt.ingest.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.IngestTestAccess;
import org.tlsrpt.ingest.RefusingClickHouse;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.RawInput;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;

/**
 * One input that ClickHouse refuses while it is up (the real embedded engine, wrapped so that it
 * refuses the rows of one chosen report) must not stall the spool: it is kept as rejected with the
 * reason, and every input before and after it is stored.
 */
class SpoolLoaderPoisonedInputTest {
  private static final String JSON = "application/tlsrpt+json";

  @TempDir Path dir;

  private static Envelope mail(String sample, Source source) {
    return new Envelope(
        IngestTestAccess.bytes(IngestTestAccess.sample(sample)),
        source,
        Instant.parse("2026-11-01T10:00:00Z"),
        null,
        Map.of(),
        DkimResult.NOT_CHECKED,
        null);
  }

  private static Envelope https(String sample) {
    return new Envelope(
        IngestTestAccess.bytes(IngestTestAccess.sample(sample)),
        Source.HTTPS,
        Instant.parse("2026-11-01T10:00:00Z"),
        JSON,
        Map.of(),
        DkimResult.UNAUTHENTICATED,
        null);
  }

  private static ParseOutcome.Parsed parse(Envelope e) {
    return (ParseOutcome.Parsed) e.parse(new ReportParser());
  }

  private static long sessions(List<Envelope> entries, boolean successful) {
    return entries.stream()
        .flatMap(e -> parse(e).reports().stream())
        .flatMap(r -> r.report().policies().stream())
        .mapToLong((PolicyResult p) -> successful ? p.successfulSessions() : p.failedSessions())
        .sum();
  }

  @Test
  void anInputStorageRefusesIsKeptAsRejectedAndEverythingElseIsStored() throws Exception {
    Envelope before = mail("isseis__tlsrpt_failure.eml", Source.SMTP);
    Envelope poisoned = https("cry-inc__microsoft.json");
    Envelope after = mail("isseis__tlsrpt_success_microsoft.eml", Source.IMAP);
    Envelope later = https("parsedmarc__rfc8460.json");
    String refusedId = parse(poisoned).reports().getFirst().report().reportId();

    Spool spool = new Spool(dir.resolve("spool"), 1 << 20, 1 << 26, 100);
    try (IngestTestAccess store = IngestTestAccess.embedded(dir.resolve("store"))) {
      RefusingClickHouse refusing = new RefusingClickHouse(store.ch, refusedId);
      spool.append(before);
      spool.append(poisoned);
      spool.append(after);
      SpoolLoader loader =
          new SpoolLoader(
              spool, new ReportParser(), new ReportStore(refusing, "tlsrpt"), 100, 1 << 20, 200);
      try {
        assertThat(loader.awaitLoaded(20_000)).as("the spool is loaded").isTrue();
        // the spool goes on: an input spooled after the refused one is loaded too
        spool.append(later);
        assertThat(loader.awaitLoaded(20_000)).as("later input loaded").isTrue();
      } finally {
        loader.close();
        spool.close();
      }
      assertThat(refusing.refusals()).isPositive();

      List<Envelope> stored = List.of(before, after, later);
      var totals = store.totals();
      assertThat(totals.reports()).isEqualTo(3);
      assertThat(totals.successful()).isEqualTo(sessions(stored, true));
      assertThat(totals.failed()).isEqualTo(sessions(stored, false));
      assertThat(store.query("SELECT count() FROM tlsrpt.raw_inputs FINAL")).isEqualTo("4");

      // the refused input is kept, as rejected, with the reason and its exact bytes
      assertThat(store.query("SELECT source, code, message FROM tlsrpt.rejected_inputs"))
          .startsWith("https\tunprocessable\tstorage refused this input on its own: ")
          .contains("cannot parse the row of report " + refusedId);
      assertThat(
              store.query(
                  "SELECT raw = unhex('"
                      + java.util.HexFormat.of().formatHex(poisoned.raw())
                      + "') FROM tlsrpt.raw_inputs FINAL WHERE status = 'rejected'"))
          .isEqualTo("1");
    }
  }

  @Test
  void anInputStorageRefusesEvenAsRejectedIsKeptBesideTheSpoolAndTheRestIsStored()
      throws Exception {
    Envelope before = mail("isseis__tlsrpt_failure.eml", Source.SMTP);
    Envelope poisoned = https("cry-inc__microsoft.json");
    Envelope after = mail("isseis__tlsrpt_success_microsoft.eml", Source.IMAP);
    String refusedId = parse(poisoned).reports().getFirst().report().reportId();
    String sha = new RawInput(poisoned.raw()).sha256();

    Path spoolDir = dir.resolve("spool");
    Spool spool = new Spool(spoolDir, 1 << 20, 1 << 26, 100);
    try (IngestTestAccess store = IngestTestAccess.embedded(dir.resolve("store"))) {
      RefusingClickHouse refusing = RefusingClickHouse.everywhere(store.ch, refusedId);
      spool.append(before);
      spool.append(poisoned);
      spool.append(after);
      SpoolLoader loader =
          new SpoolLoader(
              spool,
              new ReportParser(),
              new ReportStore(refusing, "tlsrpt"),
              100,
              1 << 20,
              SpoolLoader.limits(200, 1));
      try {
        assertThat(loader.awaitLoaded(20_000)).as("the spool is loaded").isTrue();
        assertThat(loader.setAside()).isEqualTo(1);
      } finally {
        loader.close();
        spool.close();
      }
      var totals = store.totals();
      assertThat(totals.reports()).isEqualTo(2);
      assertThat(totals.successful()).isEqualTo(sessions(List.of(before, after), true));
      assertThat(store.query("SELECT count() FROM tlsrpt.raw_inputs FINAL")).isEqualTo("2");
      // not in storage, but not lost: beside the spool, with the reason
      assertThat(Files.readAllBytes(spoolDir.resolve("refused").resolve(sha)))
          .isEqualTo(poisoned.raw());
      assertThat(Files.readString(spoolDir.resolve("refused").resolve(sha + ".reason")))
          .startsWith("source=https received_at=2026-11-01T10:00:00Z content_type=" + JSON)
          .contains("storage refused this input on its own: ")
          .contains("cannot parse the row of report " + refusedId);
    }
  }
}

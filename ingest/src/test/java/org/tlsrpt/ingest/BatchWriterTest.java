package org.tlsrpt.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.StorageException;
import org.tlsrpt.testkit.SampleReport;
import org.tlsrpt.testkit.SyntheticCorpus;

/** The batch writer against the real embedded store, with refusals and delays chosen by tests. */
class BatchWriterTest {
  @TempDir Path dir;

  private static List<Incoming> inputs(int n) {
    List<SampleReport> samples =
        List.of(
            new SampleReport(
                "rfc8460",
                IngestTestAccess.bytes(IngestTestAccess.sample("parsedmarc__rfc8460.json"))),
            new SampleReport(
                "google", IngestTestAccess.bytes(IngestTestAccess.sample("cry-inc__google.json"))));
    Random random = new Random(7);
    ReportParser parser = new ReportParser();
    List<Incoming> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Envelope e =
          Envelope.https(
              SyntheticCorpus.report(samples, random, i).json(), "application/tlsrpt+json");
      out.add(e.incoming(e.parse(parser)));
    }
    return out;
  }

  private static String reportId(Incoming in) {
    return ((ParseOutcome.Parsed) in.outcome()).reports().getFirst().report().reportId();
  }

  private static BatchLimits limits(int isolateAfterRefusals) {
    return new BatchLimits(Duration.ofMillis(10), Duration.ofMillis(40), isolateAfterRefusals);
  }

  @Test
  void aBatchStorageAsksTimeForIsRetriedWholeAndNothingIsSetAside() {
    try (IngestTestAccess up = IngestTestAccess.embedded(dir.resolve("store"))) {
      AtomicInteger busy = new AtomicInteger(4);
      ClickHouse tooManyParts =
          new Delegating(up.ch) {
            @Override
            public void insert(String table, String format, byte[] rows) {
              if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StorageException(
                    "ClickHouse refused the statement (code 252): Too many parts", true);
              }
              super.insert(table, format, rows);
            }
          };
      // even at one refusal before splitting: "try later" is not a refusal
      BatchWriter w = new BatchWriter(new ReportStore(tooManyParts, "tlsrpt"), limits(1), "inputs");
      BatchWriter.Written written = w.write(inputs(16), () -> true);
      assertThat(written.setAside()).isEmpty();
      assertThat(written.result().accepted()).isEqualTo(16);
      assertThat(w.failures()).isEqualTo(4);
      assertThat(up.totals().reports()).isEqualTo(16);
    }
  }

  @Test
  void aRefusedBatchIsSplitDownToTheOneInputRefusedInAFewWrites() {
    try (IngestTestAccess up = IngestTestAccess.embedded(dir.resolve("store"))) {
      List<Incoming> batch = inputs(16);
      RefusingClickHouse refusing = new RefusingClickHouse(up.ch, reportId(batch.get(5)));
      BatchWriter w = new BatchWriter(new ReportStore(refusing, "tlsrpt"), limits(1), "inputs");
      BatchWriter.Written written = w.write(batch, () -> true);

      assertThat(written.setAside()).hasSize(1);
      SetAside aside = written.setAside().getFirst();
      assertThat(aside.index()).isEqualTo(5);
      assertThat(aside.stored()).isTrue();
      assertThat(aside.reason())
          .startsWith("storage refused this input on its own: ClickHouse refused the statement");
      assertThat(aside.kept().outcome().rawSha256()).isEqualTo(batch.get(5).outcome().rawSha256());
      assertThat(written.result().accepted()).isEqualTo(15);
      assertThat(written.result().rejectedByCode()).containsExactly(Map.entry("unprocessable", 1));
      // halving: the whole batch, then one half of 8, 4, 2 and the input alone
      assertThat(refusing.refusals()).isEqualTo(5);
      // what the refused writes left of it (failures and policies rows: the reports insert is the
      // one refused) is gone, so the summary of its day counts the 15 others only
      assertThat(up.totals().reports()).isEqualTo(15);
      assertThat(
              up.query(
                  "SELECT count() FROM tlsrpt.policies FINAL WHERE report_id = '"
                      + reportId(batch.get(5))
                      + "'"))
          .isEqualTo("0");
      assertThat(up.query("SELECT count() FROM tlsrpt.raw_inputs FINAL")).isEqualTo("16");
    }
  }

  @Test
  void theInputsThatBroughtNothingNewAreToldAlsoWhenTheBatchIsSplit() {
    try (IngestTestAccess up = IngestTestAccess.embedded(dir.resolve("store"))) {
      List<Incoming> batch = inputs(16);
      new ReportStore(up.ch, "tlsrpt").store(List.of(batch.get(2), batch.get(12)));
      RefusingClickHouse refusing = new RefusingClickHouse(up.ch, reportId(batch.get(5)));
      BatchWriter w = new BatchWriter(new ReportStore(refusing, "tlsrpt"), limits(1), "inputs");
      BatchWriter.Written written = w.write(batch, () -> true);
      assertThat(written.setAside()).hasSize(1);
      assertThat(written.setAside(5)).isTrue();
      // positions in the batch given, not in the halves written
      assertThat(written.duplicateInputs()).containsExactlyInAnyOrder(2, 12);
      assertThat(written.duplicateInput(12)).isTrue();
      assertThat(written.duplicateInput(5)).isFalse();
    }
  }

  @Test
  void aBatchIsGivenUpWhenTheCallerStopsWaitingForStorage() {
    try (IngestTestAccess down = IngestTestAccess.storageDown()) {
      BatchWriter w = new BatchWriter(new ReportStore(down.ch, "tlsrpt"), limits(3), "inputs");
      assertThat(w.write(inputs(2), () -> false)).isNull();
      assertThat(w.failures()).isEqualTo(1);
    }
  }

  /** Passes everything to a real engine. */
  private static class Delegating implements ClickHouse {
    private final ClickHouse real;

    Delegating(ClickHouse real) {
      this.real = real;
    }

    @Override
    public void execute(String sql) {
      real.execute(sql);
    }

    @Override
    public void insert(String table, String format, byte[] rows) {
      real.insert(table, format, rows);
    }

    @Override
    public byte[] query(String sql, String format) {
      return real.query(sql, format);
    }

    @Override
    public String describe() {
      return real.describe();
    }

    @Override
    public void close() {}
  }
}

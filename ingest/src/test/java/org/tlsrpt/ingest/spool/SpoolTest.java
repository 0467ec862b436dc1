package org.tlsrpt.ingest.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.IngestTestAccess;
import org.tlsrpt.ingest.TryLaterException;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;

/** The spool on a real file system, and its loader into the real embedded store. */
class SpoolTest {
  @TempDir Path dir;

  private static Envelope entry(String raw) {
    return new Envelope(
        raw.getBytes(StandardCharsets.UTF_8),
        Source.SMTP,
        Instant.parse("2026-11-01T10:00:00Z"),
        null,
        Map.of(),
        DkimResult.NOT_CHECKED,
        null);
  }

  private static List<String> texts(List<SpoolRead> reads) {
    return reads.stream().map(r -> new String(r.envelope().raw(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void keepsWhatConcurrentSendersAppendedAcrossARestartFromTheCheckpoint() throws Exception {
    Path d = dir.resolve("spool");
    Spool spool = new Spool(d, 1000, 1 << 20, 100);
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        done.add(
            pool.submit(
                () -> {
                  spool.append(entry("report " + n));
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    List<SpoolRead> all = spool.read(spool.checkpoint(), 1000, Long.MAX_VALUE);
    assertThat(all).hasSize(200);
    assertThat(texts(all)).doesNotHaveDuplicates();
    // small segments: the 200 records span several files
    assertThat(Files.list(d).filter(p -> p.toString().endsWith(".log")).count()).isGreaterThan(3);
    SpoolPosition half = all.get(99).next();
    spool.commit(half, 0);
    spool.close();

    Spool again = new Spool(d, 1000, 1 << 20, 100);
    assertThat(again.checkpoint()).isEqualTo(half);
    again.append(entry("after restart"));
    List<SpoolRead> rest = again.read(again.checkpoint(), 1000, Long.MAX_VALUE);
    assertThat(texts(rest)).hasSize(101).endsWith("after restart");
    assertThat(texts(rest).subList(0, 100)).isEqualTo(texts(all).subList(100, 200));
    again.close();
  }

  @Test
  void ignoresATailTornByACrashAndGoesOnInANewSegment() throws Exception {
    Path d = dir.resolve("spool");
    Spool spool = new Spool(d, 1 << 20, 1 << 20, 100);
    spool.append(entry("one"));
    spool.append(entry("two"));
    spool.close();
    Path segment;
    try (var files = Files.list(d)) {
      segment = files.filter(p -> p.toString().endsWith(".log")).sorted().toList().getLast();
    }
    byte[] torn = Spool.encode(entry("three, never acknowledged"));
    Files.write(segment, java.util.Arrays.copyOf(torn, torn.length - 5), StandardOpenOption.APPEND);

    Spool again = new Spool(d, 1 << 20, 1 << 20, 100);
    again.append(entry("four"));
    assertThat(texts(again.read(again.checkpoint(), 100, Long.MAX_VALUE)))
        .containsExactly("one", "two", "four");
    again.close();
  }

  @Test
  void refusesNewInputOnceTheBacklogIsFull() throws Exception {
    Spool spool = new Spool(dir.resolve("spool"), 1 << 20, 100, 10);
    spool.append(entry("x".repeat(200)));
    assertThatThrownBy(() -> spool.append(entry("more")))
        .isInstanceOf(TryLaterException.class)
        .hasMessageContaining("ingest.max_backlog_bytes");
    // one process per spool
    assertThatThrownBy(() -> new Spool(dir.resolve("spool"), 1 << 20, 100, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in use by another tlsrpt process");
    spool.close();
  }

  @Test
  void loadsIntoStorageAndKeepsEverythingWhileStorageIsDown() throws Exception {
    Path d = dir.resolve("spool");
    byte[] report = IngestTestAccess.bytes(IngestTestAccess.sample("isseis__tlsrpt_failure.eml"));
    byte[] other =
        IngestTestAccess.bytes(IngestTestAccess.sample("isseis__tlsrpt_success_microsoft.eml"));
    Spool spool = new Spool(d, 1 << 20, 1 << 26, 100);
    try (IngestTestAccess down = IngestTestAccess.storageDown()) {
      SpoolLoader loader =
          new SpoolLoader(
              spool, new ReportParser(), new ReportStore(down.ch, "tlsrpt"), 100, 1 << 20, 200);
      spool.append(Envelope.mail(report, Source.SMTP));
      spool.append(Envelope.mail(other, Source.IMAP));
      assertThat(loader.awaitLoaded(1500)).isFalse();
      assertThat(loader.failures()).isPositive();
      loader.close();
    }
    spool.close();
    // storage back (here: a new start with a working store): the backlog is loaded once
    Spool again = new Spool(d, 1 << 20, 1 << 26, 100);
    try (IngestTestAccess up = IngestTestAccess.embedded(dir.resolve("store"))) {
      SpoolLoader loader =
          new SpoolLoader(
              again, new ReportParser(), new ReportStore(up.ch, "tlsrpt"), 100, 1 << 20, 200);
      assertThat(loader.awaitLoaded(30_000)).isTrue();
      assertThat(up.totals().reports()).isEqualTo(2);
      assertThat(again.backlogBytes()).isZero();
      // caught up, it waits at the end of what is durable (the segment this start opened) rather
      // than spinning over the loaded one
      Thread.sleep(300);
      assertThat(loader.position()).isEqualTo(again.end());
      loader.close();
    }
    again.close();
  }

  @Test
  void tellsOfEachLoadedReportWhetherItWasStoredBefore() throws Exception {
    byte[] report = IngestTestAccess.bytes(IngestTestAccess.sample("isseis__tlsrpt_failure.eml"));
    Spool spool = new Spool(dir.resolve("spool"), 1 << 20, 1 << 26, 100);
    List<String> told = java.util.Collections.synchronizedList(new ArrayList<>());
    try (IngestTestAccess up = IngestTestAccess.embedded(dir.resolve("store"))) {
      SpoolLoader loader =
          new SpoolLoader(
              spool,
              new ReportParser(),
              new ReportStore(up.ch, "tlsrpt"),
              100,
              1 << 20,
              SpoolLoader.limits(200, 3),
              (source, duplicate) -> told.add(source.wire() + (duplicate ? " duplicate" : " new")));
      spool.append(Envelope.mail(report, Source.SMTP));
      assertThat(loader.awaitLoaded(30_000)).isTrue();
      // the same message again, by IMAP this time; and one that is no report (counted elsewhere)
      spool.append(Envelope.mail(report, Source.IMAP));
      spool.append(entry("not a report"));
      assertThat(loader.awaitLoaded(30_000)).isTrue();
      loader.close();
      assertThat(told).containsExactly("smtp new", "imap duplicate");
      assertThat(up.totals().reports()).isEqualTo(1);
    }
    spool.close();
  }
}

package org.tlsrpt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark commands run end to end and print their figures (no speed is asserted here). */
class BenchCommandTest {

  @Test
  void buildsACorpusAndMeasuresIt(@TempDir Path dir) throws Exception {
    CliRun corpus = CliRun.of("bench", "corpus", "--count", "30", dir.toString());
    assertThat(corpus.exit()).isZero();
    for (String kind : List.of("json", "gz", "eml")) {
      try (var files = Files.list(dir.resolve(kind))) {
        assertThat(files.count()).isEqualTo(30);
      }
    }
    assertThat(corpus.out()).contains("wrote 30 reports");
    CliRun parse = CliRun.of("parse", dir.toString());
    assertThat(parse.exit()).as(parse.out()).isZero();

    CliRun bench =
        CliRun.of("bench", "parse", "--warmup", "0.2", "--seconds", "0.3", dir.toString());
    assertThat(bench.exit()).as(bench.err()).isZero();
    List<String> lines = bench.out().lines().toList();
    assertThat(lines.get(0)).contains("tlsrpt reports/s", "bare chain reports/s");
    assertThat(lines).anyMatch(l -> l.startsWith("json "));
    assertThat(lines).anyMatch(l -> l.startsWith("json.gz "));
    assertThat(lines).anyMatch(l -> l.startsWith("e-mail "));
    assertThat(lines.get(lines.size() - 1)).matches("parse: [1-9][0-9]* reports/s");

    CliRun imported =
        CliRun.of(
            "bench",
            "import",
            "--store",
            dir.resolve("store").toString(),
            dir.resolve("eml").toString());
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.out())
        .contains("imported 30 files: 30 reports accepted")
        .contains("stored totals match: 30 reports in the store, 30 accepted")
        .containsPattern("import: [1-9][0-9]* reports/s")
        .containsPattern("process CPU while timed: [0-9.]+ s \\([0-9.]+ of the [0-9]+ cores\\)");
  }

  @Test
  void refusesOptionsThatCannotGiveAFigure() {
    CliRun kafka =
        CliRun.of("bench", "kafka", "--processes", "--workers", "5", "--partitions", "4");
    assertThat(kafka.exit()).isEqualTo(2);
    assertThat(kafka.err()).contains("every worker must hold a partition");
    CliRun serve = CliRun.of("bench", "serve", "--server-jfr", "/tmp/x.jfr");
    assertThat(serve.exit()).isEqualTo(2);
    assertThat(serve.err()).contains("add --server-process");
  }

  @Test
  void summaryLoadsReportsThroughTheWriterWithRedeliveriesAndCountsEachOnce() {
    CliRun summary =
        CliRun.of(
            "bench",
            "summary",
            "--rows",
            "6000",
            "--details",
            "20",
            "--resend-every",
            "10",
            "--batch",
            "70");
    assertThat(summary.exit()).as(summary.out() + summary.err()).isZero();
    assertThat(summary.out())
        .contains("loading 300 reports of 20 failure details (6,000 failure rows)")
        .contains("300 reports accepted, 30 duplicates")
        .containsPattern("summary --by org +median +[0-9]+ ms")
        .containsPattern("summary --by result +median +[0-9]+ ms")
        .contains(
            "stored totals match: 300 reports, 6,000 failed and 44,850 successful sessions"
                + " (generated 300 / 6,000 / 44,850)");
  }
}

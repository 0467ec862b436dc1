package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.app.demo.BundledSamples;
import org.tlsrpt.testkit.SampleReport;
import org.tlsrpt.testkit.SyntheticCorpus;

/**
 * {@code tlsrpt import} with its standard input a pipe that holds data and stays open, as under a
 * script or a test harness. The embedded engine took that data for rows of its INSERTs: the first
 * statement was refused ("both inlined and external data"), or an insert waited for the pipe to
 * close. The engine must never see the process's standard input (StandardInputGuard).
 */
class PipedStandardInputTest {
  @TempDir Path dir;

  @Test
  void importsWhileItsStandardInputIsAnOpenPipeWithDataInIt() throws Exception {
    List<SampleReport> samples =
        BundledSamples.all().stream().map(s -> new SampleReport(s.name(), s.bytes())).toList();
    Path in = Files.createDirectories(dir.resolve("in"));
    Random random = new Random(7);
    for (int i = 0; i < 3; i++) {
      Files.write(in.resolve(i + ".eml"), SyntheticCorpus.report(samples, random, i).eml());
    }
    Path log = dir.resolve("import.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "import",
                "--data-dir",
                dir.resolve("data").toString(),
                in.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write("{\"day\":\"2026-01-01\"}\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush(); // and the pipe stays open until the import has ended
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("import did not finish: " + Files.readString(log));
      }
    }
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("imported 3 inputs: 3 reports accepted");
  }
}

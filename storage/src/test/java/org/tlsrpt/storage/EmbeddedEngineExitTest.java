package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that exits with the embedded engine still open must not crash. libchdb tears an open
 * connection down in its own exit-time destructors, and with the schema's skip indexes that
 * teardown died with SIGSEGV on the JVM's VM thread (exit status 134 and an hs_err_pid*.log file);
 * the engine is now closed before the JVM exits (docs/testing.md, "The embedded engine at exit").
 */
class EmbeddedEngineExitTest {
  @TempDir Path dir;

  @Test
  void systemExitWithTheEngineOpenExitsWithItsStatus() throws Exception {
    Child child = Child.start(dir, "exit");
    assertThat(child.waitFor()).as(child.output()).isEqualTo(1);
    child.assertNoCrash();
  }

  @Test
  void anErrorEscapingMainWithTheEngineOpenExitsWithStatusOne() throws Exception {
    Child child = Child.start(dir, "error");
    assertThat(child.waitFor()).as(child.output()).isEqualTo(1);
    assertThat(child.output()).contains("an error escapes main with the engine open");
    child.assertNoCrash();
  }

  @Test
  void sigtermWhileStatementsRunClosesTheEngineAfterTheStatementInFlight() throws Exception {
    Child child = Child.start(dir, "statements");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!child.output().contains("engine open") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(child.output()).contains("engine open");
    Thread.sleep(300); // inserts are running
    child.process.destroy(); // SIGTERM
    // 128 + 15: the JVM's status after SIGTERM once the shutdown hooks have run
    assertThat(child.waitFor()).as(child.output()).isEqualTo(143);
    child.assertNoCrash();
  }

  /** The child JVM, its working directory (where a crashed JVM writes hs_err_pid*.log) and log. */
  private record Child(Process process, Path workDir, Path log) {
    static Child start(Path dir, String mode) throws IOException {
      Path work = Files.createDirectories(dir.resolve("work"));
      Path log = dir.resolve("child.log");
      Process p =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "--enable-native-access=ALL-UNNAMED",
                      "-Xmx256m",
                      "-cp",
                      System.getProperty("java.class.path"),
                      EngineLeftOpen.class.getName(),
                      dir.resolve("data").toString(),
                      mode))
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new Child(p, work, log);
    }

    int waitFor() throws InterruptedException {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the child JVM did not exit in 120 s: " + output());
      }
      return process.exitValue();
    }

    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no output: " + e + ")";
      }
    }

    void assertNoCrash() throws IOException {
      assertThat(output()).doesNotContain("A fatal error has been detected");
      try (var files = Files.list(workDir)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("crash dumps of the child JVM")
            .noneMatch(n -> n.startsWith("hs_err_pid"));
      }
    }
  }
}

package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.testkit.FreePorts;

/**
 * {@link Main} exiting on an Error while the embedded engine is open, as the application jar did
 * when it lacked SubEthaSMTP: {@code serve --demo} loaded the demo, opened the store, started the
 * spool loader, then failed with NoClassDefFoundError. That exit crashed inside libchdb (SIGSEGV,
 * status 134, the hs_err_pid4919.log once committed to app/); it must exit with status 1 and no
 * crash dump.
 */
class MainExitTest {
  @TempDir Path dir;

  @Test
  void anErrorWithTheEngineOpenExitsWithStatusOneWithoutACrash() throws Exception {
    String classPath = System.getProperty("java.class.path");
    String withoutSmtp =
        Arrays.stream(classPath.split(File.pathSeparator))
            .filter(e -> !Path.of(e).getFileName().toString().startsWith("subethasmtp-"))
            .collect(Collectors.joining(File.pathSeparator));
    assertThat(withoutSmtp).as("the test class path holds SubEthaSMTP").isNotEqualTo(classPath);
    int[] ports = FreePorts.tcp(2);
    int http = ports[0];
    int smtp = ports[1];
    Path work = Files.createDirectories(dir.resolve("work")); // where a crashed JVM writes hs_err
    Path log = dir.resolve("serve.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    withoutSmtp,
                    Main.class.getName(),
                    "serve",
                    "--demo",
                    "--data-dir",
                    dir.resolve("data").toString()))
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + http);
    pb.environment().put("TLSRPT_SMTP_LISTEN", "127.0.0.1:" + smtp);
    pb.environment().put("TLSRPT_DKIM_MODE", "off");
    Process serve = pb.start();
    if (!serve.waitFor(120, TimeUnit.SECONDS)) {
      serve.destroyForcibly();
      throw new AssertionError("serve did not exit: " + Files.readString(log));
    }
    String out = Files.readString(log);
    assertThat(out)
        .contains("loaded demo data")
        .contains("tlsrpt: internal error, stopping: java.lang.NoClassDefFoundError")
        .doesNotContain("A fatal error has been detected");
    assertThat(serve.exitValue()).as(out).isEqualTo(1);
    try (var files = Files.list(work)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("crash dumps of the child JVM")
          .noneMatch(n -> n.startsWith("hs_err_pid"));
    }
  }
}

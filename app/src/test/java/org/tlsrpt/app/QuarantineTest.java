package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.testkit.FreePorts;

/**
 * Under {@code dkim.mode=enforce} a real Google report e-mail whose signature has expired is stored
 * but quarantined: not counted, listed by {@code tlsrpt quarantine list}, counted after {@code
 * tlsrpt quarantine release}.
 */
class QuarantineTest {
  @TempDir Path dir;

  @Test
  void quarantinesAReportWithAnExpiredSignatureUnderEnforceAndReleasesIt() throws Exception {
    int smtp = FreePorts.tcp();
    Path data = dir.resolve("data");
    Map<String, String> env = new HashMap<>();
    env.put("TLSRPT_CHDB_LIBRARY", System.getenv("TLSRPT_CHDB_LIBRARY"));
    env.put("TLSRPT_DATA_DIR", data.toString());
    env.put("TLSRPT_HTTP_LISTEN", "127.0.0.1:0");
    env.put("TLSRPT_SMTP_LISTEN", "127.0.0.1:" + smtp);
    env.put("TLSRPT_SMTP_RECIPIENTS", "tlsrpt@reports.test");
    env.put("TLSRPT_DKIM_MODE", "enforce");
    Path mail = SamplesDir.get().resolve("isseis__tlsrpt_failure.eml");
    try (TlsrptServer server =
        TlsrptServer.start(Settings.load(null, env, AllSettings.ALL), null)) {
      Process swaks =
          new ProcessBuilder(
                  List.of(
                      "swaks",
                      "--server",
                      "127.0.0.1",
                      "--port",
                      Integer.toString(server.smtpPort()),
                      "--from",
                      "reports@sender.test",
                      "--to",
                      "tlsrpt@reports.test",
                      "--data",
                      "@" + mail))
              .redirectErrorStream(true)
              .start();
      String transcript = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(swaks.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(swaks.exitValue()).as(transcript).isZero();
      assertThat(transcript).contains("250 2.0.0 report stored in quarantine (DKIM)");
    }
    String dataDir = data.toString();
    assertThat(reports(dataDir)).isZero();

    CliRun list = CliRun.of("quarantine", "list", "--data-dir", dataDir);
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out())
        .contains("smtp")
        .contains("DKIM fail: d=google.com")
        .contains("1 quarantined");
    String sha = list.out().lines().findFirst().orElseThrow().split(" ")[0];

    CliRun wrong = CliRun.of("quarantine", "release", "--data-dir", dataDir, "0".repeat(64));
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("not in quarantine");

    CliRun release = CliRun.of("quarantine", "release", "--data-dir", dataDir, sha);
    assertThat(release.exit()).as(release.err()).isZero();
    assertThat(release.out()).contains("released 1 inputs: 1 reports now counted");
    assertThat(reports(dataDir)).isEqualTo(1);
    assertThat(CliRun.of("quarantine", "list", "--data-dir", dataDir).out())
        .contains("0 quarantined");
    assertThat(Files.exists(data)).isTrue();
  }

  private static long reports(String dataDir) throws Exception {
    CliRun s = CliRun.of("summary", "--data-dir", dataDir, "--since", "20000d", "--format", "json");
    assertThat(s.exit()).as(s.err()).isZero();
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(s.out())
        .get("reports")
        .asLong();
  }
}

package org.tlsrpt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code bench serve} end to end, with the server in this process and in a process of its own: real
 * SMTP and HTTPS clients, the totals checked (no speed is asserted here).
 */
class BenchServeIT {

  @Test
  void loadsTheServerInThisProcess() {
    CliRun run =
        CliRun.of(
            "bench", "serve", "--clients", "2", "--mails", "12", "--posts", "12", "--warmup", "4");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("stored: 28 reports")
        .contains("equal, nothing lost")
        .containsPattern("serve: [1-9][0-9]* messages/s")
        .doesNotContain("server CPU per message");
  }

  @Test
  void loadsTheServerInAProcessOfItsOwnAndSaysWhatCpuItUsed() {
    CliRun run =
        CliRun.of(
            "bench",
            "serve",
            "--server-process",
            "--clients",
            "2",
            "--mails",
            "12",
            "--posts",
            "12",
            "--warmup",
            "4");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .containsPattern("serving in process [0-9]+ on SMTP port")
        .containsPattern("server process CPU: [0-9.]+ s while answering")
        .containsPattern("server CPU per message, spool loading included: [0-9.]+ ms")
        .contains("stored: 28 reports")
        .contains("equal, nothing lost");
  }
}

package org.tlsrpt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlsrpt.testkit.KafkaBrokerExtension;

/**
 * {@code bench kafka --processes} on a real broker: two worker processes, each with a store of its
 * own, drain one backlog, and the benchmark adds their stores up and checks them against what was
 * published (no speed is asserted here).
 */
class BenchKafkaProcessesIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void twoWorkerProcessesDrainOneBacklogIntoTwoStoresThatAddUpToIt() {
    CliRun run =
        CliRun.of(
            "bench",
            "kafka",
            "--bootstrap",
            KAFKA.bootstrap(),
            "--count",
            "10000",
            "--batch",
            "500",
            "--workers",
            "2",
            "--processes");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .containsPattern("every worker holds partitions after [0-9.]+ s")
        .containsPattern("\\[2 worker processes\\] drained the [1-9][0-9,]* records left in")
        .contains("stored totals match: 10,000 distinct reports in 2 stores");
    // each process reports its own store; the two together hold every report
    assertThat(run.out().lines().filter(l -> l.contains("its store holds")).count()).isEqualTo(2);
  }
}

package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.alerting.AlertEngine;
import org.tlsrpt.alerting.AlertOptions;
import org.tlsrpt.alerting.JobLease;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.KafkaTopics;
import org.tlsrpt.ingest.kafka.SchedulerLease;
import org.tlsrpt.posture.CheckOptions;
import org.tlsrpt.posture.PostureChecker;
import org.tlsrpt.posture.watch.PostureWatch;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import org.tlsrpt.testkit.EmbeddedEngine;
import org.tlsrpt.testkit.FreePorts;
import org.tlsrpt.testkit.KafkaBrokerExtension;

/**
 * Two workers' posture watches on one store, each behind its own scheduler lease on a real broker:
 * the watch runs in one of them only, and when that worker stops, the other takes the lease over
 * and runs it at once. (A worker killed with SIGKILL losing the lease is SchedulerLeaseIT's.)
 */
class ScheduledJobsOnceIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  @TempDir Path dir;
  private static KafkaClients clients;

  @BeforeAll
  static void connect() {
    clients = new KafkaClients(kafka.bootstrap(), Map.of());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void thePostureWatchRunsInOneWorkerAndMovesWhenItStops() throws Exception {
    String topic = "scheduler-" + UUID.randomUUID();
    String group = "workers-" + UUID.randomUUID() + "-scheduler";
    KafkaTopics.ensure(clients, List.of(topic), 1, (short) 1, 1 << 20);
    // nothing answers DNS here: each check ends quickly with its DNS findings, and is stored
    CheckOptions options =
        new CheckOptions(
            "127.0.0.1:" + FreePorts.udpAndTcp(),
            443,
            25,
            null,
            "",
            Duration.ofMillis(300),
            "checker.test",
            14,
            Clock.systemUTC(),
            65536);
    try (ClickHouse ch = EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("store"))) {
      new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
      AlertEngine alerts =
          new AlertEngine(
              ch,
              "tlsrpt",
              List.of(),
              new AlertOptions(Duration.ofHours(6), 200, 100, 2, 10, "http://dash.test/"),
              Clock.systemUTC());
      java.util.function.Supplier<Long> runs =
          () ->
              Long.parseLong(
                  new String(
                          ch.query(
                              "SELECT uniqExact(checked_at) FROM tlsrpt.posture_findings",
                              "TabSeparated"),
                          StandardCharsets.UTF_8)
                      .trim());
      SchedulerLease leaseA = new SchedulerLease(clients, topic, group, Duration.ofSeconds(6));
      SchedulerLease leaseB = new SchedulerLease(clients, topic, group, Duration.ofSeconds(6));
      // an hour apart: only the first run and a run on taking the lease over can happen here
      Duration hourly = Duration.ofHours(1);
      PostureWatch a =
          watch(options, ch, alerts).start(hourly, JobLease.of(leaseA::held, leaseA::whenTaken));
      PostureWatch b =
          watch(options, ch, alerts).start(hourly, JobLease.of(leaseB::held, leaseB::whenTaken));
      try (leaseA;
          leaseB) {
        await("one worker to hold the lease", () -> leaseA.held() ^ leaseB.held());
        await("the first posture run", () -> runs.get() == 1);
        SchedulerLease holder = leaseA.held() ? leaseA : leaseB;
        SchedulerLease other = holder == leaseA ? leaseB : leaseA;
        // the other worker, which ticked at start too, stored nothing
        Thread.sleep(2_000);
        assertThat(runs.get()).as("posture runs stored by two workers").isEqualTo(1);
        assertThat(other.held()).isFalse();

        holder.close(); // that worker stops: the other takes the lease and runs the watch at once
        await("the other worker to take the lease", other::held);
        await("the second posture run", () -> runs.get() == 2);
      } finally {
        a.close();
        b.close();
        alerts.close();
      }
    }
  }

  private static PostureWatch watch(CheckOptions options, ClickHouse ch, AlertEngine alerts) {
    return new PostureWatch(
        List.of("watched.test"),
        new PostureChecker(options),
        ch,
        "tlsrpt",
        alerts,
        "http://dash.test/");
  }
}

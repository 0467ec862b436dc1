package org.tlsrpt.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tlsrpt.testkit.KafkaBrokerExtension;

/**
 * The scheduled jobs run in one worker at a time: the lease is a single-partition topic's
 * assignment in a consumer group, on a real broker. One of two holders leads; a holder killed with
 * SIGKILL (a separate JVM) loses the lease to the other once its session expires; a holder that
 * closes hands it on at once.
 */
class SchedulerLeaseIT {
  private static final Duration SESSION = Duration.ofSeconds(6);
  private static final Duration WAIT = Duration.ofSeconds(90);

  @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
  private static KafkaClients clients;

  @BeforeAll
  static void connect() {
    clients = new KafkaClients(kafka.bootstrap(), Map.of());
  }

  private static String topic() {
    String t = "scheduler-" + UUID.randomUUID();
    KafkaTopics.ensure(clients, List.of(t), 1, (short) 1, 1 << 20);
    return t;
  }

  private static boolean await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void aKilledLeaderIsReplacedByTheOtherWorkerAndNeverBothLead() throws Exception {
    String topic = topic();
    String group = "scheduler-" + UUID.randomUUID();
    Process other =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                LeaseHolder.class.getName(),
                kafka.bootstrap(),
                topic,
                group,
                Long.toString(SESSION.toMillis()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Boolean> leading =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals("LEADING")) {
                      return true;
                    }
                  }
                  return false;
                } catch (java.io.IOException e) {
                  return false;
                }
              });
      assertThat(leading.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("the first worker takes the lease")
          .isTrue();

      try (SchedulerLease mine = new SchedulerLease(clients, topic, group, SESSION)) {
        java.util.concurrent.CountDownLatch taken = new java.util.concurrent.CountDownLatch(1);
        mine.whenTaken(taken::countDown);
        // while the other worker lives and polls, this one joins the group but does not lead
        for (int i = 0; i < 60; i++) {
          assertThat(mine.held()).as("two workers lead at once").isFalse();
          Thread.sleep(100);
        }
        other.destroyForcibly(); // SIGKILL: no leave-group request reaches the broker
        other.waitFor();
        assertThat(await(mine::held)).as("the surviving worker takes the lease over").isTrue();
        assertThat(taken.getCount()).as("its jobs are started on taking the lease").isZero();
      }
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void aWorkerThatStopsHandsTheLeaseOnAtOnce() throws Exception {
    String topic = topic();
    String group = "scheduler-" + UUID.randomUUID();
    try (SchedulerLease first = new SchedulerLease(clients, topic, group, SESSION)) {
      assertThat(await(first::held)).isTrue();
      try (SchedulerLease second = new SchedulerLease(clients, topic, group, SESSION)) {
        // the second joins: a rebalance, after which exactly one of them leads
        assertThat(await(() -> first.held() ^ second.held())).isTrue();
        SchedulerLease leader = first.held() ? first : second;
        SchedulerLease follower = leader == first ? second : first;
        leader.close();
        assertThat(leader.held()).isFalse();
        assertThat(await(follower::held))
            .as("the other takes over when the leader leaves")
            .isTrue();
      }
    }
  }
}

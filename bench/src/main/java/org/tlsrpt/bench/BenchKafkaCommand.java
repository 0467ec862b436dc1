package org.tlsrpt.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.KafkaTopics;
import org.tlsrpt.ingest.kafka.KafkaWorker;
import org.tlsrpt.ingest.kafka.PipelineRecord;
import org.tlsrpt.ingest.kafka.WorkerOptions;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import org.tlsrpt.testkit.LocalKafkaBroker;
import org.tlsrpt.testkit.PipelineLoad;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tlsrpt bench kafka}: a backlog of raw reports in Kafka drained by 1, 2... workers into a
 * new embedded store. Prints reports/s and the drain time for each worker count, and checks the
 * stored totals against what was published.
 */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = {
      "Publish N distinct report e-mails to a Kafka topic as ingest nodes do, then drain that"
          + " backlog with 1, then 2 workers; prints reports/s and the time to drain, and checks"
          + " the stored totals.",
      "By default the workers run in this process and share one new embedded store, behind its"
          + " one lock: that shows nothing is lost or counted twice, not scaling. With --processes"
          + " each worker is a process of its own with an embedded store of its own (the reports of"
          + " the partitions it was assigned); the clock runs from the moment every worker holds"
          + " partitions (the group's join and first rebalances are left out) until the group's lag"
          + " is zero, over the records left at its start, and the totals of all stores together are"
          + " checked against what was published.",
      "Without --bootstrap it starts a local KRaft broker from the Maven jars"
          + " (scripts/kafka-classpath resolves them)."
    })
public final class BenchKafkaCommand implements Callable<Integer> {
  @Option(
      names = "--count",
      defaultValue = "200000",
      description = "Reports published per run (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--workers",
      split = ",",
      defaultValue = "1,2",
      description = "Worker counts to run, one drain each (default: ${DEFAULT-VALUE}).")
  List<Integer> workers;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions of each run's topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--batch",
      defaultValue = "5000",
      description = "worker.max_batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--bootstrap", description = "Use these brokers instead of a local one.")
  String bootstrap;

  @Option(
      names = "--processes",
      description =
          "Run each worker as a process of its own with a store of its own (default: threads of"
              + " this process sharing one store).")
  boolean processes;

  @Override
  public Integer call() throws Exception {
    if (processes && workers.stream().anyMatch(n -> n > partitions)) {
      System.err.println(
          "tlsrpt bench kafka: with --processes every worker must hold a partition: use at most"
              + " --partitions ("
              + partitions
              + ") workers, or more partitions");
      return 2;
    }
    Path dir = Files.createTempDirectory("tlsrpt-bench-kafka");
    LocalKafkaBroker broker = null;
    try {
      if (bootstrap == null) {
        System.out.println("starting a local Kafka broker (KRaft) under " + dir + "...");
        broker = LocalKafkaBroker.start(dir.resolve("kafka"), List.of());
        bootstrap = broker.bootstrap();
      }
      KafkaClients clients = new KafkaClients(bootstrap, Map.of());
      int failures = 0;
      for (int n : workers) {
        failures += run(clients, dir, n) ? 0 : 1;
      }
      return failures == 0 ? 0 : 1;
    } finally {
      if (broker != null) {
        broker.close();
      }
      TempStores.delete(dir);
    }
  }

  private boolean run(KafkaClients clients, Path dir, int n) throws Exception {
    String run = "bench-" + n + "w-" + System.currentTimeMillis();
    String topic = run + "-raw";
    String group = run + "-group";
    KafkaTopics.ensure(clients, List.of(topic, run + "-dlq"), partitions, (short) 1, 16L << 20);
    System.out.printf(
        "%n[%d worker(s)] publishing %,d report e-mails to %s (%d partitions)...%n",
        n, count, topic, partitions);
    long t0 = System.nanoTime();
    PipelineLoad.Totals sent =
        PipelineLoad.publish(
            clients.producer("tlsrpt-bench-load", 16L << 20, "lz4", 120_000),
            eml ->
                PipelineRecord.of(
                    topic,
                    Envelope.mail(eml, Source.SMTP, Map.of("client", "127.0.0.1", "helo", "bench")),
                    null),
            CorpusSamples.all(),
            0,
            count,
            done -> System.out.printf("  published %,d%n", done));
    double publishSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "  published in %.1f s (%,.0f records/s, acks=all)%n",
        publishSeconds, count / publishSeconds);

    if (processes) {
      return new WorkerProcesses(dir, run, bootstrap, batch, partitions)
          .drain(clients, topic, n, sent);
    }
    Path store = dir.resolve("store-" + n);
    ClickHouse ch = EmbeddedClickHouse.open(Path.of(chdb()), store);
    List<KafkaWorker> running = new ArrayList<>();
    try (Admin admin = Admin.create(clients.admin())) {
      new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
      WorkerOptions o = new WorkerOptions(topic, run + "-dlq", group, batch, 64L << 20, 5_000);
      java.time.Duration cpu0 = BenchImportCommand.processCpu();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        running.add(
            new KafkaWorker(clients, o, new ReportParser(), new ReportStore(ch, "tlsrpt")).start());
      }
      if (!awaitDrained(admin, topic, group, start, () -> null)) {
        return false;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      java.time.Duration cpu = BenchImportCommand.processCpu().minus(cpu0);
      for (KafkaWorker w : running) {
        w.close();
      }
      Summaries.Summary s =
          new Summaries(ch, "tlsrpt")
              .summary(LocalDate.parse("2000-01-01"), null, Summaries.By.ORG);
      boolean ok =
          s.reports() == sent.reports()
              && s.successful() == sent.successful()
              && s.failed() == sent.failed();
      System.out.printf(
          "[%d worker(s)] drained %,d reports in %.1f s: %,.0f reports/s (batches of %d; workers"
              + " consumed %,d records, %d store retries)%n",
          n,
          count,
          seconds,
          count / seconds,
          batch,
          running.stream().mapToLong(KafkaWorker::consumed).sum(),
          running.stream().mapToLong(KafkaWorker::storeFailures).sum());
      System.out.printf(
          "  this process's CPU time while draining: %.1f s, %.0f microseconds per report (the"
              + " broker runs in a process of its own)%n",
          cpu.toMillis() / 1e3, cpu.toNanos() / 1e3 / count);
      System.out.printf(
          "  stored totals %s: %,d reports, %,d successful and %,d failed sessions (published"
              + " %,d / %,d / %,d)%n",
          ok ? "match" : "DO NOT MATCH",
          s.reports(),
          s.successful(),
          s.failed(),
          sent.reports(),
          sent.successful(),
          sent.failed());
      return ok;
    } finally {
      for (KafkaWorker w : running) {
        w.close();
      }
      ch.close();
    }
  }

  /**
   * Waits until the group's lag is zero, printing it every 5 s; false, said why, when {@code
   * trouble} names a problem (it is asked every 100 ms) or after 30 minutes.
   *
   * @param start when the clock started ({@link System#nanoTime()})
   */
  static boolean awaitDrained(
      Admin admin, String topic, String group, long start, Supplier<String> trouble)
      throws Exception {
    long lastPrint = start;
    long lag;
    while ((lag = PipelineLoad.groupLag(admin, topic, group)) > 0) {
      Thread.sleep(100);
      if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(5)) {
        lastPrint = System.nanoTime();
        System.out.printf("  lag %,d after %.0f s%n", lag, (lastPrint - start) / 1e9);
      }
      String problem = trouble.get();
      if (problem != null) {
        System.out.println("  " + problem + ": giving up");
        return false;
      }
      if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(30)) {
        System.out.println("  not drained after 30 minutes: giving up");
        return false;
      }
    }
    return true;
  }

  static String chdb() {
    String lib = System.getenv("TLSRPT_CHDB_LIBRARY");
    if (lib == null || lib.isBlank()) {
      throw new IllegalStateException(
          "TLSRPT_CHDB_LIBRARY is not set: run the benchmark through ./tlsrpt");
    }
    return lib;
  }
}

package org.tlsrpt.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.ingest.kafka.KafkaWorker;
import org.tlsrpt.ingest.kafka.WorkerOptions;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.ReportCounts;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tlsrpt bench kafka-worker}: one Kafka worker in a process of its own, with an embedded
 * store of its own, driven by {@code bench kafka --processes} through its standard input and
 * output. It opens the store and prints {@value #READY}; on the line {@value #GO} it joins the
 * group and consumes, printing {@value #ASSIGNED} and the number of partitions it holds whenever
 * that changes; on {@value #STOP} (or the end of its input) it stops, writes the keys of the
 * reports its store holds to the {@code --keys} file and prints, on a line starting with {@value
 * #DONE}: records consumed, failed writes, the store's reports, successful and failed sessions,
 * duplicates, and the CPU milliseconds the process used from {@value #GO} to {@value #STOP}.
 */
@Command(
    name = "kafka-worker",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "One worker process of 'bench kafka --processes' (not for direct use).")
public final class BenchKafkaWorkerCommand implements Callable<Integer> {
  static final String READY = "READY";
  static final String GO = "GO";
  static final String STOP = "STOP";
  static final String DONE = "DONE";
  static final String ASSIGNED = "ASSIGNED";

  @Option(names = "--bootstrap", required = true)
  String bootstrap;

  @Option(names = "--topic", required = true)
  String topic;

  @Option(names = "--dlq", required = true)
  String dlq;

  @Option(names = "--group", required = true)
  String group;

  @Option(names = "--batch", required = true)
  int batch;

  @Option(names = "--store", required = true)
  Path store;

  @Option(names = "--library", required = true)
  Path library;

  @Option(names = "--keys", required = true)
  Path keys;

  @Override
  public Integer call() throws Exception {
    try (ClickHouse ch = EmbeddedClickHouse.open(library, store)) {
      // taken once the engine is open: it has moved the standard input out of the engine's reach
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
      System.out.println(READY);
      System.out.flush();
      if (!GO.equals(in.readLine())) {
        return 1;
      }
      java.time.Duration cpu0 = BenchImportCommand.processCpu();
      WorkerOptions o = new WorkerOptions(topic, dlq, group, batch, 64L << 20, 5_000);
      KafkaWorker w =
          new KafkaWorker(
                  new KafkaClients(bootstrap, Map.of()),
                  o,
                  new ReportParser(),
                  new ReportStore(ch, "tlsrpt"))
              .start();
      Thread.ofPlatform()
          .daemon()
          .name("tlsrpt-bench-assignment")
          .start(
              () -> {
                int last = -1;
                while (w.running()) {
                  int now = w.assignment().size();
                  if (now != last) {
                    System.out.println(ASSIGNED + " " + now);
                    System.out.flush();
                    last = now;
                  }
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      try {
        String line;
        do {
          line = in.readLine();
        } while (line != null && !STOP.equals(line));
      } finally {
        w.close();
      }
      java.time.Duration cpu = BenchImportCommand.processCpu().minus(cpu0);
      Summaries.Summary s =
          new Summaries(ch, "tlsrpt")
              .summary(LocalDate.parse("2000-01-01"), null, Summaries.By.ORG);
      Files.write(keys, new ReportCounts(ch, "tlsrpt").keys());
      System.out.printf(
          "%s %d %d %d %d %d %d %d%n",
          DONE,
          w.consumed(),
          w.storeFailures(),
          s.reports(),
          s.successful(),
          s.failed(),
          w.duplicates(),
          cpu.toMillis());
      System.out.flush();
    }
    return 0;
  }
}

package org.tlsrpt.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.tlsrpt.ingest.kafka.KafkaClients;
import org.tlsrpt.testkit.PipelineLoad;

/**
 * The workers of {@code bench kafka --processes}: each a JVM of its own ({@link
 * BenchKafkaWorkerCommand}) with an embedded store of its own, in one consumer group, so each holds
 * the reports of the partitions it was assigned. Stores are per process because the embedded engine
 * cannot be shared between processes; the reports of all stores together are the backlog.
 */
final class WorkerProcesses {
  private final Path dir;
  private final String run;
  private final String bootstrap;
  private final int batch;
  private final int partitions;

  WorkerProcesses(Path dir, String run, String bootstrap, int batch, int partitions) {
    this.partitions = partitions;
    this.dir = dir;
    this.run = run;
    this.bootstrap = bootstrap;
    this.batch = batch;
  }

  /** One worker process, its input, and the lines it printed (read as they come). */
  private static final class Child {
    private final Process process;
    private final Writer in;
    private final Path keys;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile int assigned = -1;

    Child(Process process, Path keys) {
      this.process = process;
      this.keys = keys;
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      Thread.ofPlatform()
          .daemon()
          .name("tlsrpt-bench-worker-" + process.pid())
          .start(
              () -> {
                try {
                  String line;
                  while ((line = out.readLine()) != null) {
                    if (line.startsWith(BenchKafkaWorkerCommand.ASSIGNED + " ")) {
                      try {
                        assigned = Integer.parseInt(line.substring(line.indexOf(' ') + 1));
                        continue;
                      } catch (NumberFormatException notOurs) {
                        // shown like any other line
                      }
                    }
                    lines.add(line);
                  }
                } catch (IOException | RuntimeException e) {
                  // the process ended: await() says so
                }
              });
    }

    /** The next line starting with {@code prefix}; the lines before it are shown. */
    String await(String prefix) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line == null) {
          if (!process.isAlive() && lines.isEmpty()) {
            break;
          }
          continue;
        }
        if (line.startsWith(prefix)) {
          return line;
        }
        System.out.println("    worker " + process.pid() + ": " + line);
      }
      throw new IOException(
          "worker process " + process.pid() + " did not say " + prefix + " (see above)");
    }

    void say(String line) throws IOException {
      in.write(line + "\n");
      in.flush();
    }
  }

  /** Drains the topic with {@code n} worker processes; true when the stored totals match. */
  boolean drain(KafkaClients clients, String topic, int n, PipelineLoad.Totals sent)
      throws Exception {
    List<Child> children = new ArrayList<>();
    try (Admin admin = Admin.create(clients.admin())) {
      for (int i = 0; i < n; i++) {
        children.add(start(topic, i));
      }
      for (Child c : children) {
        c.await(BenchKafkaWorkerCommand.READY);
      }
      for (Child c : children) {
        c.say(BenchKafkaWorkerCommand.GO);
      }
      String group = run + "-group";
      // the clock starts once every worker holds partitions and together they hold them all: the
      // group's join and first rebalances are left out, and the records left then are counted
      long joined = System.nanoTime();
      while (!settled(children, partitions)) {
        Thread.sleep(5);
        if (System.nanoTime() - joined > TimeUnit.MINUTES.toNanos(2)) {
          System.out.println("  the workers did not share the partitions in 2 minutes: giving up");
          return false;
        }
      }
      long start = System.nanoTime();
      long backlog = PipelineLoad.groupLag(admin, topic, group);
      if (backlog == 0) {
        System.out.println(
            "  the backlog was drained before every worker held partitions: no figure (publish"
                + " more with --count)");
        return false;
      }
      System.out.printf(
          "  every worker holds partitions after %.1f s; %,d records left to drain%n",
          (start - joined) / 1e9, backlog);
      boolean drained =
          BenchKafkaCommand.awaitDrained(
              admin,
              topic,
              group,
              start,
              () ->
                  children.stream()
                      .filter(c -> !c.process.isAlive())
                      .findFirst()
                      .map(c -> "worker process " + c.process.pid() + " died")
                      .orElse(null));
      if (!drained) {
        return false;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return check(children, n, backlog, seconds, sent);
    } finally {
      for (Child c : children) {
        c.process.destroy();
        if (!c.process.waitFor(1, TimeUnit.MINUTES)) {
          c.process.destroyForcibly();
        }
      }
    }
  }

  private static boolean settled(List<Child> children, int partitions) {
    int sum = 0;
    for (Child c : children) {
      if (c.assigned <= 0) {
        return false;
      }
      sum += c.assigned;
    }
    return sum == partitions;
  }

  private boolean check(
      List<Child> children, int n, long backlog, double seconds, PipelineLoad.Totals sent)
      throws Exception {
    long consumed = 0;
    long retries = 0;
    long reports = 0;
    long successful = 0;
    long failed = 0;
    Set<String> keys = new HashSet<>();
    for (Child c : children) {
      c.say(BenchKafkaWorkerCommand.STOP);
    }
    for (Child c : children) {
      String[] f = c.await(BenchKafkaWorkerCommand.DONE).split(" ");
      c.process.waitFor(1, TimeUnit.MINUTES);
      consumed += Long.parseLong(f[1]);
      retries += Long.parseLong(f[2]);
      reports += Long.parseLong(f[3]);
      successful += Long.parseLong(f[4]);
      failed += Long.parseLong(f[5]);
      System.out.printf(
          "  worker process %d: consumed %,d records, its store holds %,d reports; its CPU time"
              + " %.1f s%n",
          c.process.pid(), Long.parseLong(f[1]), Long.parseLong(f[3]), Long.parseLong(f[7]) / 1e3);
      keys.addAll(Files.readAllLines(c.keys));
    }
    long inTwo = reports - keys.size(); // delivered again to another worker after a rebalance
    System.out.printf(
        "[%d worker processes] drained the %,d records left in %.1f s: %,.0f reports/s (batches"
            + " of %d; workers consumed %,d records in all, %d store retries)%n",
        n, backlog, seconds, backlog / seconds, batch, consumed, retries);
    boolean ok =
        keys.size() == sent.reports()
            && (inTwo > 0
                || (reports == sent.reports()
                    && successful == sent.successful()
                    && failed == sent.failed()));
    System.out.printf(
        "  stored totals %s: %,d distinct reports in %d stores, %,d successful and %,d failed"
            + " sessions (published %,d / %,d / %,d)%s%n",
        ok ? "match" : "DO NOT MATCH",
        keys.size(),
        n,
        successful,
        failed,
        sent.reports(),
        sent.successful(),
        sent.failed(),
        inTwo > 0
            ? "; "
                + inTwo
                + " reports are in two stores (delivered again after a rebalance), so the"
                + " session sums count them twice and only the distinct reports are compared"
            : "");
    return ok;
  }

  private Child start(String topic, int i) throws IOException {
    Path store = dir.resolve(run + "-store-" + i);
    Path keys = dir.resolve(run + "-store-" + i + ".keys");
    List<String> cmd =
        ChildJvm.command(
            List.of(),
            "bench",
            "kafka-worker",
            "--bootstrap",
            bootstrap,
            "--topic",
            topic,
            "--dlq",
            run + "-dlq",
            "--group",
            run + "-group",
            "--batch",
            String.valueOf(batch),
            "--store",
            store.toString(),
            "--keys",
            keys.toString(),
            "--library",
            BenchKafkaCommand.chdb());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new Child(p, keys);
  }
}

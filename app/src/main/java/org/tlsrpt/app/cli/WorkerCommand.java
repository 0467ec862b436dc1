package org.tlsrpt.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.serve.WorkerServer;
import org.tlsrpt.storage.engine.EngineShutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tlsrpt worker}: stores what ingest nodes publish to Kafka. Runs until SIGTERM. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Consume the raw reports ingest nodes (tlsrpt serve with pipeline.mode=kafka) publish to"
          + " Kafka, parse and store them, and commit the offsets once stored; copy rejected"
          + " inputs to the dead-letter topic. Serves /health, /metrics and /api/summary.",
      "",
      "Needs TLSRPT_KAFKA_BOOTSTRAP; the store is the embedded one (--data-dir) or the ClickHouse"
          + " server of TLSRPT_CLICKHOUSE_URL. Start as many workers as the topic has partitions"
          + " (kafka.partitions); they share the work in group kafka.group. On SIGTERM a worker"
          + " stores and commits what it took, then leaves the group."
    })
public final class WorkerCommand implements Callable<Integer> {
  @ParentCommand TlsrptCommand parent;
  @Spec CommandSpec spec;
  @CommandLine.Mixin StoreOptions storeOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    WorkerServer worker =
        WorkerServer.start(AllSettings.from(parent.settings(), storeOptions.dataDir));
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean stopping =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread hook =
        new Thread(
            () -> {
              stopping.set(true);
              out.println("tlsrpt worker: stopping (storing and committing what it took)...");
              out.flush();
              worker.close();
              stopped.countDown();
            },
            "tlsrpt-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    EngineShutdown.closeAfter(hook); // it stores into the embedded engine before closing it
    worker.describe(out);
    while (!stopped.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
      if (!stopping.get()
          && !worker.worker().running()) { // the consumer died: a supervisor should restart us
        spec.commandLine()
            .getErr()
            .println("tlsrpt worker: the Kafka consumer stopped (see the log above); exiting");
        worker.close();
        return 1;
      }
    }
    return 0;
  }
}

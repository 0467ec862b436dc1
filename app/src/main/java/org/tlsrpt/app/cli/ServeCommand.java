package org.tlsrpt.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tlsrpt.app.config.Settings;
import org.tlsrpt.app.serve.TlsrptServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tlsrpt serve}: the service. Runs until SIGTERM or Ctrl-C, then stops cleanly. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Receive reports by SMTP and HTTPS POST and store them; serve /health, /metrics and"
          + " /api/summary.",
      "",
      "Listeners, DKIM and limits come from the settings (docs/configuration.md): at least"
          + " TLSRPT_SMTP_LISTEN, TLSRPT_SMTP_RECIPIENTS, TLSRPT_HTTP_LISTEN and TLSRPT_DKIM_MODE."
          + " On SIGTERM it stops accepting, stores what it accepted, and exits."
    })
public final class ServeCommand implements Callable<Integer> {
  @ParentCommand TlsrptCommand parent;
  @Spec CommandSpec spec;
  @CommandLine.Mixin StoreOptions storeOptions;

  @Override
  public Integer call() throws Exception {
    Settings settings = parent.settings();
    PrintWriter out = spec.commandLine().getOut();
    TlsrptServer server = TlsrptServer.start(settings, storeOptions.dataDir);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              out.println("tlsrpt serve: stopping (storing what was accepted)...");
              out.flush();
              server.close();
              stopped.countDown();
            },
            "tlsrpt-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    server.describe(out, settings);
    stopped.await();
    return 0;
  }
}

package org.tlsrpt.app.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.demo.DemoData;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.storage.engine.EngineShutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tlsrpt serve}: the service. Runs until SIGTERM or Ctrl-C, then stops cleanly. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Receive reports by SMTP and HTTPS POST, read them from an IMAP mailbox, and store them;"
          + " serve the web dashboard at /, /health (each source's state), /health/live,"
          + " /metrics and /api/summary.",
      "",
      "Listeners, DKIM and limits come from the settings (docs/configuration.md): at least"
          + " TLSRPT_SMTP_LISTEN, TLSRPT_SMTP_RECIPIENTS, TLSRPT_HTTP_LISTEN and TLSRPT_DKIM_MODE."
          + " On SIGTERM it stops accepting, stores what it accepted, and exits.",
      "",
      "IMAP poller: set TLSRPT_IMAP_HOST, TLSRPT_IMAP_USER and TLSRPT_IMAP_PASSWORD_FILE, or"
          + " TLSRPT_IMAP_AUTH=oauth2 with TLSRPT_IMAP_OAUTH2_* for Microsoft 365 and Gmail."
          + " Stored reports move to the folder 'processed', invalid ones to 'rejected'."
          + " What the account needs, per provider: docs/mailboxes.md."
    })
public final class ServeCommand implements Callable<Integer> {
  @ParentCommand TlsrptCommand parent;
  @Spec CommandSpec spec;
  @CommandLine.Mixin StoreOptions storeOptions;

  @Option(
      names = "--demo",
      description =
          "When the store holds no report yet, load demo data first (source \"demo\"): the"
              + " bundled sample reports and a generated month of reports ending yesterday, with"
              + " failures, rejected and quarantined inputs, so the dashboard shows something at"
              + " once. Does nothing on a store that holds reports.")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    AllSettings settings = AllSettings.from(parent.settings(), storeOptions.dataDir);
    PrintWriter out = spec.commandLine().getOut();
    if (demo) {
      DemoData.loadIfEmpty(settings, Clock.systemUTC()).describe().forEach(out::println);
      out.flush();
    }
    TlsrptServer server = TlsrptServer.start(settings);
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
    EngineShutdown.closeAfter(hook); // it stores into the embedded engine before closing it
    server.describe(out);
    InetSocketAddress http = server.httpAddress();
    if (http != null) {
      out.println(
          "  Web   "
              + (settings.serve().http().tlsKeystore() == null ? "http" : "https")
              + "://"
              + http.getHostString()
              + ":"
              + http.getPort()
              + "/  (the dashboard)");
      out.flush();
    }
    stopped.await();
    return 0;
  }
}

package org.tlsrpt.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.app.serve.TlsrptServer;
import org.tlsrpt.config.Settings;
import org.tlsrpt.ingest.tls.Tls;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.testkit.FreePorts;
import org.tlsrpt.testkit.SampleReport;
import org.tlsrpt.testkit.SyntheticCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tlsrpt bench serve}: a load test of {@code tlsrpt serve} in this process on a new store.
 * Concurrent SMTP clients (STARTTLS, one connection each, many messages per connection) deliver
 * report e-mails while as many HTTPS clients POST gzip reports; every report is distinct. Prints
 * messages/s, acceptance latency percentiles, and checks the stored totals against what was sent.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Load-test tlsrpt serve on a new embedded store: N SMTP clients deliver report e-mails and N"
          + " HTTPS clients POST reports at the same time; prints messages/s, p50/p99 acceptance"
          + " latency (end of DATA to 250, request to 201) and checks that the stored totals equal"
          + " what was sent. DKIM is off (the messages are not signed)."
    })
public final class BenchServeCommand implements Callable<Integer> {
  private static final char[] PW = "bench-serve".toCharArray();

  @Option(
      names = "--clients",
      defaultValue = "50",
      description = "SMTP clients, and as many HTTPS clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--mails",
      defaultValue = "20000",
      description = "Report e-mails (default: ${DEFAULT-VALUE}).")
  int mails;

  @Option(
      names = "--posts",
      defaultValue = "20000",
      description = "HTTPS POSTs (default: ${DEFAULT-VALUE}).")
  int posts;

  @Option(
      names = "--warmup",
      defaultValue = "20000",
      description =
          "Messages sent first, half by each transport, and not timed: they let the JIT compile"
              + " the hot code, as in a service that has been running a while (default:"
              + " ${DEFAULT-VALUE}; with 4,000 the compiler was still busy in the timed part)."
              + " They are counted in the totals check.")
  int warmup;

  @Option(
      names = "--server-process",
      description =
          "Run tlsrpt serve in a process of its own instead of this one, and print the CPU time"
              + " it used per message (its own figure, apart from the clients').")
  boolean serverProcess;

  @Option(
      names = "--server-jfr",
      paramLabel = "FILE",
      description = "With --server-process: record a JFR profile of the server process to FILE.")
  Path serverJfr;

  @Override
  public Integer call() throws Exception {
    if (serverJfr != null && !serverProcess) {
      System.err.println(
          "tlsrpt bench serve: --server-jfr profiles the server process: add --server-process");
      return 2;
    }
    Path data = Files.createTempDirectory("tlsrpt-bench-serve");
    try {
      return run(data);
    } finally {
      TempStores.delete(data);
    }
  }

  private int run(Path data) throws Exception {
    int warmMails = warmup / 2;
    int warmPosts = warmup - warmMails;
    System.out.printf(
        "generating %d e-mails and %d gzip reports (and %d for the warm-up)...%n",
        mails, posts, warmup);
    List<SampleReport> samples = CorpusSamples.all();
    Random random = new Random(42);
    List<byte[]> eml = new ArrayList<>(mails);
    List<byte[]> gz = new ArrayList<>(posts);
    List<byte[]> warmEml = new ArrayList<>(warmMails);
    List<byte[]> warmGz = new ArrayList<>(warmPosts);
    long ok = 0;
    long failed = 0;
    int total = mails + posts + warmup;
    for (int i = 0; i < total; i++) {
      // as a live service receives them: reports for the last two days
      SyntheticCorpus.Report r = SyntheticCorpus.report(samples, random, i, 2);
      if (i < warmMails) {
        warmEml.add(r.eml());
      } else if (i < warmup) {
        warmGz.add(r.gz());
      } else if (i < warmup + mails) {
        eml.add(r.eml());
      } else {
        gz.add(r.gz());
      }
      ok += r.successful();
      failed += r.failed();
    }
    Path keys = Tls.selfSigned(data.resolve("bench-tls"), "localhost", PW);
    SSLContext trust = Tls.client(data.resolve("bench-tls").resolve("self-signed-trust.p12"), PW);
    int httpPort = FreePorts.tcp();
    int smtpPort = FreePorts.tcp();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("TLSRPT_DATA_DIR", data.resolve("store").toString());
    env.put("TLSRPT_HTTP_LISTEN", "127.0.0.1:" + httpPort);
    env.put("TLSRPT_HTTP_TLS_KEYSTORE", keys.toString());
    env.put("TLSRPT_HTTP_TLS_PASSWORD", new String(PW));
    env.put("TLSRPT_HTTP_RATE_LIMIT_PER_MINUTE", "0");
    env.put("TLSRPT_SMTP_LISTEN", "127.0.0.1:" + smtpPort);
    env.put("TLSRPT_SMTP_RECIPIENTS", "tlsrpt@bench.test");
    env.put("TLSRPT_SMTP_TLS_KEYSTORE", keys.toString());
    env.put("TLSRPT_SMTP_TLS_PASSWORD", new String(PW));
    env.put("TLSRPT_SMTP_MAX_CONNECTIONS", Integer.toString(clients * 2));
    env.put("TLSRPT_DKIM_MODE", "off");
    env.keySet().removeIf(k -> k.startsWith("TLSRPT_CLICKHOUSE_"));
    Settings settings = Settings.load(null, env, AllSettings.ALL);

    long[] smtpLatency = new long[mails];
    long[] httpLatency = new long[posts];
    AtomicInteger errors = new AtomicInteger();
    double secs;
    Duration serverCpu = null;
    try (HttpClient http =
        HttpClient.newBuilder()
            .sslContext(trust)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build()) {
      URI uri = URI.create("https://localhost:" + httpPort + "/v1/tlsrpt");
      Path log = data.resolve("serve.log");
      try (ServerUnderTest server =
          serverProcess
              ? ServeProcess.start(env, smtpPort, httpPort, http, log, serverJfr)
              : ServerUnderTest.inThisProcess(TlsrptServer.start(settings, null))) {
        System.out.printf(
            "serving %s on SMTP port %d and HTTPS port %d%s%n",
            server.describe(),
            smtpPort,
            httpPort,
            serverProcess ? " (its output: " + log + ")" : "");
        double warm =
            phase(
                smtpPort,
                trust,
                http,
                uri,
                warmEml,
                warmGz,
                new long[warmMails],
                new long[warmPosts],
                errors);
        System.out.printf("warm-up: %d messages in %.1f s%n", warmup, warm);
        if (!server.awaitStored(Duration.ofMinutes(10))) {
          System.out.println("the warm-up's spool was not loaded within 10 minutes");
        }
        Duration before = server.cpu();
        secs = phase(smtpPort, trust, http, uri, eml, gz, smtpLatency, httpLatency, errors);
        Duration answered = before == null ? null : server.cpu().minus(before);
        long d0 = System.nanoTime();
        if (!server.awaitStored(Duration.ofMinutes(10))) {
          System.out.println("the spool was not loaded into ClickHouse within 10 minutes");
        }
        System.out.printf(
            "all answered input in ClickHouse %.1f s after the last answer%n",
            (System.nanoTime() - d0) / 1e9);
        if (before != null) {
          serverCpu = server.cpu().minus(before);
          System.out.printf(
              "server process CPU: %.1f s while answering (%.2f of the %d cores), %.1f s with the"
                  + " spool loaded%n",
              answered.toMillis() / 1e3,
              answered.toMillis() / 1e3 / secs,
              Runtime.getRuntime().availableProcessors(),
              serverCpu.toMillis() / 1e3);
        }
      }
    }
    System.out.printf(
        "%d e-mails over %d SMTP connections and %d HTTPS POSTs from %d clients in %.1f s%n",
        mails, clients, posts, clients, secs);
    System.out.printf("serve: %.0f messages/s%n", (mails + posts) / secs);
    if (serverCpu != null) {
      double perMessage = serverCpu.toNanos() / 1e6 / (mails + posts);
      System.out.printf(
          "server CPU per message, spool loading included: %.3f ms; the server alone on all %d"
              + " cores would answer and load about %.0f messages/s (a projection from CPU time:"
              + " here the clients share the cores)%n",
          perMessage,
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().availableProcessors() * 1000 / perMessage);
    }
    print("SMTP  ", smtpLatency);
    print("HTTPS ", httpLatency);

    // the store, reopened: what was acknowledged must all be there, once
    try (ClickHouse ch =
        EmbeddedClickHouse.open(
            Path.of(settings.string(org.tlsrpt.app.config.StorageSettings.CHDB_LIBRARY)),
            data.resolve("store"))) {
      Summaries.Summary s =
          new Summaries(ch, "tlsrpt")
              .summary(LocalDate.parse("2000-01-01"), null, Summaries.By.ORG);
      boolean match = s.reports() == total && s.successful() == ok && s.failed() == failed;
      System.out.printf(
          "stored: %d reports, %d successful and %d failed sessions; sent: %d, %d, %d: %s%n",
          s.reports(),
          s.successful(),
          s.failed(),
          total,
          ok,
          failed,
          match ? "equal, nothing lost" : "MISMATCH");
      System.out.printf("errors (non-250/201 answers): %d%n", errors.get());
      return match && errors.get() == 0 ? 0 : 1;
    }
  }

  /** Runs the clients over these messages; returns the seconds it took. */
  private double phase(
      int smtpPort,
      SSLContext trust,
      HttpClient http,
      URI uri,
      List<byte[]> eml,
      List<byte[]> gz,
      long[] smtpLatency,
      long[] httpLatency,
      AtomicInteger errors)
      throws Exception {
    AtomicInteger nextMail = new AtomicInteger();
    AtomicInteger nextPost = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(
            pool.submit(
                () -> {
                  smtpClient(smtpPort, trust, eml, nextMail, smtpLatency, errors);
                  return null;
                }));
        done.add(
            pool.submit(
                () -> {
                  int i;
                  while ((i = nextPost.getAndIncrement()) < gz.size()) {
                    long a = System.nanoTime();
                    HttpResponse<Void> r =
                        http.send(
                            HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/tlsrpt+gzip")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(gz.get(i)))
                                .build(),
                            HttpResponse.BodyHandlers.discarding());
                    httpLatency[i] = System.nanoTime() - a;
                    if (r.statusCode() != 201) {
                      errors.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  private static void print(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return;
    }
    System.out.printf(
        "%s acceptance latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        what,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  /** One SMTP connection with STARTTLS, delivering messages until none are left. */
  private static void smtpClient(
      int port,
      SSLContext trust,
      List<byte[]> eml,
      AtomicInteger next,
      long[] latency,
      AtomicInteger errors)
      throws IOException {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = plain.getOutputStream();
      expect(in, "220");
      command(out, "EHLO bench.test");
      expect(in, "250");
      command(out, "STARTTLS");
      expect(in, "220");
      try (SSLSocket tls =
          (SSLSocket) trust.getSocketFactory().createSocket(plain, "localhost", port, true)) {
        tls.startHandshake();
        in =
            new BufferedReader(
                new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
        out = tls.getOutputStream();
        command(out, "EHLO bench.test");
        expect(in, "250");
        int i;
        while ((i = next.getAndIncrement()) < eml.size()) {
          command(out, "MAIL FROM:<reports@sender.test>");
          expect(in, "250");
          command(out, "RCPT TO:<tlsrpt@bench.test>");
          expect(in, "250");
          command(out, "DATA");
          expect(in, "354");
          out.write(dotStuffed(eml.get(i)));
          long a = System.nanoTime();
          command(out, ".");
          String reply = readReply(in);
          latency[i] = System.nanoTime() - a;
          if (!reply.startsWith("250")) {
            errors.incrementAndGet();
          }
        }
        command(out, "QUIT");
      }
    }
  }

  private static byte[] dotStuffed(byte[] message) {
    String m = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    StringBuilder b = new StringBuilder(m.length() + 64);
    for (String line : m.split("\n", -1)) {
      if (line.startsWith(".")) {
        b.append('.');
      }
      b.append(line).append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void command(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String readReply(BufferedReader in) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("the SMTP server closed the connection");
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
    return line;
  }

  private static void expect(BufferedReader in, String code) throws IOException {
    String reply = readReply(in);
    if (!reply.startsWith(code)) {
      throw new IOException("expected " + code + ", got: " + reply);
    }
  }
}

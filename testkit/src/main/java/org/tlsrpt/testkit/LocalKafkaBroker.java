package org.tlsrpt.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (KRaft, broker and controller in one JVM, from the Maven Central jars) on
 * loopback, for the Kafka tests and {@code tlsrpt bench kafka}. Its class path is resolved once by
 * {@code scripts/kafka-classpath} into {@code scripts/kafka/target/classpath.txt}.
 */
public final class LocalKafkaBroker implements AutoCloseable {
  /** Where the broker's class path is written, relative to the checkout. */
  public static final String CLASSPATH_FILE = "scripts/kafka/target/classpath.txt";

  private final Path dir;
  private final int port;
  private final Process process;

  private LocalKafkaBroker(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /**
   * Formats a fresh log directory under {@code dir} and starts a broker; returns once it accepts
   * connections.
   *
   * @param extraProperties more server.properties lines (e.g. {@code num.partitions=4})
   */
  public static LocalKafkaBroker start(Path dir, List<String> extraProperties)
      throws IOException, InterruptedException {
    String classpath = classpath();
    Files.createDirectories(dir);
    int[] ports = FreePorts.tcp(2);
    int port = ports[0];
    int controller = ports[1];
    Path props = dir.resolve("server.properties");
    List<String> lines =
        new ArrayList<>(
            List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0"));
    lines.addAll(extraProperties);
    Files.write(props, lines, StandardCharsets.UTF_8);
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(
        log4j,
        String.join(
            "\n",
            "appender.file.type=File",
            "appender.file.name=file",
            "appender.file.fileName=" + dir.resolve("broker.log"),
            "appender.file.layout.type=PatternLayout",
            "appender.file.layout.pattern=%d %p %c{1} %m%n",
            "rootLogger.level=WARN",
            "rootLogger.appenderRef.file.ref=file",
            ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> jvm =
        List.of(
            java,
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-Dlog4j2.configurationFile=" + log4j,
            "-cp",
            classpath);
    List<String> format = new ArrayList<>(jvm);
    format.addAll(
        List.of(
            "kafka.tools.StorageTool",
            "format",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            props.toString()));
    Process f =
        new ProcessBuilder(format)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("format.log").toFile())
            .start();
    if (!f.waitFor(2, TimeUnit.MINUTES) || f.exitValue() != 0) {
      f.destroyForcibly();
      throw new IOException(
          "formatting the Kafka log directory failed: "
              + Files.readString(dir.resolve("format.log")));
    }
    List<String> run = new ArrayList<>(jvm);
    run.addAll(List.of("kafka.Kafka", props.toString()));
    Process p =
        new ProcessBuilder(run)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    LocalKafkaBroker broker = new LocalKafkaBroker(dir, port, p);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException(
            "the Kafka broker exited with status "
                + p.exitValue()
                + "; see "
                + dir.resolve("stdout.log")
                + " and "
                + dir.resolve("broker.log"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return broker;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    broker.close();
    throw new IOException("the Kafka broker did not listen within 2 minutes; see " + dir);
  }

  /** {@code 127.0.0.1:port}, for {@code kafka.bootstrap}. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  public Path directory() {
    return dir;
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 30 s). */
  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(30));
  }

  /** The broker's class path from {@link #CLASSPATH_FILE}, found from the working directory up. */
  static String classpath() throws IOException {
    String override = System.getenv("TLSRPT_KAFKA_BROKER_CLASSPATH");
    if (override != null && !override.isBlank()) {
      return override;
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path f = p.resolve(CLASSPATH_FILE);
      if (Files.isRegularFile(f)) {
        return Files.readString(f).trim();
      }
      p = p.getParent();
    }
    throw new IOException(
        "the Kafka broker's class path is missing ("
            + CLASSPATH_FILE
            + "): run scripts/kafka-classpath in the checkout once (scripts/test does)");
  }
}

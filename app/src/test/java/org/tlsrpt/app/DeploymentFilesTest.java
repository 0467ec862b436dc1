package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.app.ComposeFile.names;
import static org.tlsrpt.app.ComposeFile.portOf;
import static org.tlsrpt.app.RepoFiles.ROOT;
import static org.tlsrpt.app.RepoFiles.read;
import static org.tlsrpt.app.RepoFiles.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tlsrpt.app.config.AllSettings;
import org.tlsrpt.config.Setting;

/**
 * The production deployment files (Dockerfile, docker-compose.yml, Grafana provisioning) checked
 * against the code, the docs and the {@code ./tlsrpt} launcher, so that they cannot drift apart.
 * There is no Docker engine on the build machine: nothing here starts a container or needs the
 * {@code docker} command; the files are read and compared.
 */
class DeploymentFilesTest {
  private static final Set<String> SERVICES =
      Set.of("kafka", "clickhouse", "grafana", "tlsrpt-ingest", "tlsrpt-worker");

  /** Read by the launcher and the CLI, not settings of AllSettings (docs/configuration.md). */
  private static final Set<String> LAUNCHER_VARIABLES = Set.of("TLSRPT_JAVA_OPTS", "TLSRPT_CONFIG");

  /** The uid dashboards and alert rules name the data source by (issue 6 relies on it). */
  private static final String DATASOURCE_UID = "tlsrpt-clickhouse";

  private static final String DATASOURCE_TYPE = "grafana-clickhouse-datasource";
  private static final String PROVISIONING = "dashboards/src/main/grafana/provisioning";
  private static final String DASHBOARDS = "dashboards/src/main/grafana/dashboards";

  private final ComposeFile compose = ComposeFile.read("docker-compose.yml");
  private final DockerfileText dockerfile = DockerfileText.parse(read("Dockerfile"));

  @Test
  void composeFileDefinesTheFiveServices() {
    assertThat(compose.services().isObject()).as("docker-compose.yml has a services: map").isTrue();
    assertThat(compose.serviceNames()).as("services of docker-compose.yml").containsAll(SERVICES);
  }

  @Test
  void everyTlsrptVariableInTheDeploymentFilesIsADocumentedSetting() {
    Set<String> known = new HashSet<>(LAUNCHER_VARIABLES);
    AllSettings.ALL.forEach(s -> known.add(s.environmentVariable()));
    String configurationDoc = read("docs/configuration.md");
    for (String v : LAUNCHER_VARIABLES) {
      assertThat(configurationDoc).as("docs/configuration.md documents %s", v).contains(v);
    }
    List<String> unknown = new ArrayList<>();
    for (String file : List.of("docker-compose.yml", "Dockerfile")) {
      String[] lines = read(file).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        Matcher m = Pattern.compile("\\bTLSRPT_[A-Z0-9_]+").matcher(lines[i]);
        while (m.find()) {
          String name = m.group();
          String base = name.endsWith("_FILE") ? name.substring(0, name.length() - 5) : name;
          if (!known.contains(name) && !known.contains(base)) {
            unknown.add(file + ":" + (i + 1) + " " + name);
          }
        }
      }
    }
    assertThat(unknown)
        .as(
            "TLSRPT_* variables that are no setting of AllSettings.ALL (docs/configuration.md),"
                + " no launcher variable %s and no _FILE form of one: a typo, or a setting that"
                + " was renamed",
            LAUNCHER_VARIABLES)
        .isEmpty();
  }

  @Test
  void everyPublishedPortIsBoundToLoopback() {
    List<String> open = new ArrayList<>();
    for (String service : compose.serviceNames()) {
      for (JsonNode port : compose.service(service).path("ports")) {
        String shown = port.isObject() ? port.toString() : port.asText();
        String hostIp =
            port.isObject()
                ? ComposeVariables.withDefaults(port.path("host_ip").asText(""))
                : ComposeFile.hostIp(ComposeVariables.withDefaults(shown));
        if (!hostIp.equals("127.0.0.1")) {
          open.add(service + ": '" + shown + "' binds " + (hostIp.isEmpty() ? "0.0.0.0" : hostIp));
        }
      }
    }
    assertThat(open)
        .as("published ports must be bound to 127.0.0.1 by default (HOST_IP:HOST_PORT:PORT)")
        .isEmpty();
  }

  @Test
  void everyServiceHasAHealthcheck() {
    for (String service : compose.serviceNames()) {
      JsonNode hc = compose.service(service).path("healthcheck");
      assertThat(hc.path("test").isMissingNode() || hc.path("disable").asBoolean(false))
          .as("service %s has a healthcheck with a test", service)
          .isFalse();
      assertThat(hc.path("test").toString())
          .as("healthcheck of %s", service)
          .doesNotContain("\"NONE\"");
    }
  }

  @Test
  void dependenciesNameExistingServicesAndWaitUntilTheyAreHealthy() {
    for (String service : compose.serviceNames()) {
      JsonNode deps = compose.service(service).path("depends_on");
      assertThat(deps.isArray())
          .as("depends_on of %s uses the long form, with a condition", service)
          .isFalse();
      for (String dep : names(deps)) {
        assertThat(compose.serviceNames())
            .as("%s depends on a service that exists", service)
            .contains(dep);
        assertThat(deps.path(dep).path("condition").asText())
            .as("%s waits for %s", service, dep)
            .isEqualTo("service_healthy");
      }
    }
  }

  @Test
  void composeVariablesHaveOneDefaultEach() {
    Map<String, List<String>> defaults = ComposeVariables.defaults(read("docker-compose.yml"));
    for (Map.Entry<String, List<String>> e : defaults.entrySet()) {
      assertThat(new LinkedHashSet<>(e.getValue()))
          .as("defaults given to ${%s} in docker-compose.yml", e.getKey())
          .hasSize(1);
    }
  }

  @Test
  void tlsrptServicesRunTheKafkaPipelineFromTheDockerfile() {
    List<String> defined = compose.serviceNames();
    Map<String, String> clickhouse = compose.environment("clickhouse");
    for (String service : List.of("tlsrpt-ingest", "tlsrpt-worker")) {
      JsonNode build = compose.service(service).path("build");
      String context = build.isTextual() ? build.asText() : build.path("context").asText("");
      assertThat(context)
          .as("%s is built from the repository's Dockerfile", service)
          .isEqualTo(".");
      assertThat(build.path("dockerfile").asText("Dockerfile")).isEqualTo("Dockerfile");
      Map<String, String> env = compose.environment(service);
      assertThat(env)
          .as("environment of %s", service)
          .containsEntry("TLSRPT_PIPELINE_MODE", "kafka");
      String bootstrap = compose.resolved(service, "TLSRPT_KAFKA_BOOTSTRAP");
      for (String broker : bootstrap.split(",")) {
        assertThat(defined)
            .as("%s: TLSRPT_KAFKA_BOOTSTRAP '%s' names a service", service, bootstrap)
            .contains(broker.strip().split(":")[0]);
      }
      String url = compose.resolved(service, "TLSRPT_CLICKHOUSE_URL");
      assertThat(url).as("%s stores in a ClickHouse server", service).isNotEmpty();
      assertThat(defined)
          .as("%s: TLSRPT_CLICKHOUSE_URL '%s' names a service", service, url)
          .contains(URI.create(url).getHost());
      assertThat(env.get("TLSRPT_CLICKHOUSE_USER"))
          .as("%s logs in as the user the clickhouse service creates", service)
          .isEqualTo(clickhouse.get("CLICKHOUSE_USER"));
      assertThat(env.get("TLSRPT_CLICKHOUSE_PASSWORD"))
          .as("%s logs in with the password the clickhouse service sets", service)
          .isEqualTo(clickhouse.get("CLICKHOUSE_PASSWORD"));
    }
    assertThat(compose.command("tlsrpt-ingest")).startsWith("serve");
    assertThat(compose.command("tlsrpt-worker")).startsWith("worker");
  }

  @Test
  void theIngestNodePublishesWhatItListensOnAndChecksItsOwnHealth() {
    String smtp = compose.resolved("tlsrpt-ingest", "TLSRPT_SMTP_LISTEN");
    String http = compose.resolved("tlsrpt-ingest", "TLSRPT_HTTP_LISTEN");
    assertThat(smtp).as("the ingest node's SMTP listener in its container").startsWith("0.0.0.0:");
    assertThat(http).as("the ingest node's HTTP server in its container").startsWith("0.0.0.0:");
    List<String> published = new ArrayList<>();
    for (JsonNode port : compose.service("tlsrpt-ingest").path("ports")) {
      published.add(
          port.isObject()
              ? port.path("target").asText()
              : ComposeFile.containerPort(ComposeVariables.withDefaults(port.asText())));
    }
    assertThat(published)
        .as("tlsrpt-ingest publishes the ports of TLSRPT_SMTP_LISTEN and TLSRPT_HTTP_LISTEN")
        .containsExactlyInAnyOrder(portOf(smtp), portOf(http));
    assertThat(compose.service("tlsrpt-ingest").path("healthcheck").path("test").toString())
        .as("the ingest healthcheck asks the HTTP server's /health")
        .contains(":" + portOf(http) + "/health");
  }

  @Test
  void workersCanBeScaledAndCheckTheirOwnHealth() {
    JsonNode worker = compose.service("tlsrpt-worker");
    assertThat(worker.has("container_name"))
        .as("tlsrpt-worker has no container_name, or --scale tlsrpt-worker=N fails")
        .isFalse();
    assertThat(worker.has("ports"))
        .as("tlsrpt-worker publishes no host port, or a second worker could not bind it")
        .isFalse();
    String listen = compose.resolved("tlsrpt-worker", "TLSRPT_WORKER_LISTEN");
    assertThat(listen).as("TLSRPT_WORKER_LISTEN of tlsrpt-worker").startsWith("0.0.0.0:");
    assertThat(worker.path("healthcheck").path("test").toString())
        .as("the worker healthcheck asks the worker's /health")
        .contains(":" + portOf(listen) + "/health");
  }

  @Test
  void namedVolumesAreDeclared() {
    List<String> declared = names(compose.root().path("volumes"));
    for (String service : compose.serviceNames()) {
      for (JsonNode volume : compose.service(service).path("volumes")) {
        String source =
            volume.isObject()
                ? volume.path("source").asText("")
                : ComposeVariables.withDefaults(volume.asText()).split(":")[0];
        boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        if (!bind && !source.isEmpty()) {
          assertThat(declared)
              .as("volume %s of %s is declared under volumes:", source, service)
              .contains(source);
        }
      }
    }
  }

  @Test
  void dockerfileBuildsTheJarTheLauncherRuns() {
    String launcher = read("tlsrpt");
    String jar = LauncherText.jar(launcher);
    assertThat(read("app/pom.xml"))
        .as("app/pom.xml shades the jar the launcher runs (%s)", jar)
        .contains(
            "<outputFile>${project.build.directory}/"
                + Path.of(jar).getFileName()
                + "</outputFile>");

    List<String> launcherBuild = LauncherText.mavenArguments(launcher, "the tlsrpt launcher");
    DockerfileText.Instruction run =
        dockerfile.all("RUN").stream()
            .filter(i -> i.arguments().contains("./mvnw"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Dockerfile runs no ./mvnw"));
    List<String> imageBuild =
        LauncherText.mavenArguments(run.arguments(), "Dockerfile line " + run.line());
    assertThat(LauncherText.withoutQuiet(imageBuild))
        .as("the Dockerfile's Maven build (line %d) is the launcher's", run.line())
        .containsExactlyInAnyOrderElementsOf(LauncherText.withoutQuiet(launcherBuild));

    DockerfileText.Instruction copy = dockerfile.jarCopy();
    assertThat(copy.arguments())
        .as("the jar is copied from the stage that builds it (Dockerfile line %d)", copy.line())
        .contains("--from=" + run.stage() + " ");
    String[] words = copy.arguments().split("\\s+");
    String workdir = dockerfile.workdir(run.stage(), run.line());
    assertThat(words[words.length - 2])
        .as("the image copies the jar the build made (Dockerfile line %d)", copy.line())
        .isEqualTo(workdir.replaceAll("/$", "") + "/" + jar);
  }

  @Test
  void entrypointRunsTheJarWithTheLaunchersJvmFlags() {
    LauncherText.JvmOptions launcher =
        LauncherText.jvmOptions(LauncherText.javaLine(read("tlsrpt")));
    assertThat(launcher.passesJavaOpts()).as("the launcher passes TLSRPT_JAVA_OPTS").isTrue();
    assertThat(launcher.flags()).as("JVM flags of the launcher").isNotEmpty();

    List<String> exec =
        DockerfileText.execForm(
            dockerfile.last("ENTRYPOINT").orElseThrow(() -> new AssertionError("no ENTRYPOINT")));
    String command =
        exec.size() >= 3 && exec.get(0).endsWith("sh") && exec.get(1).equals("-c")
            ? exec.get(2)
            : String.join(" ", exec);
    LauncherText.JvmOptions image = LauncherText.jvmOptions(command);
    assertThat(image.passesJavaOpts())
        .as("the ENTRYPOINT honours TLSRPT_JAVA_OPTS (it needs a shell to expand it): %s", exec)
        .isTrue();
    assertThat(image.flags())
        .as("JVM flags of the ENTRYPOINT, against the launcher's")
        .isEqualTo(launcher.flags());
    Matcher jar = Pattern.compile("-jar\\s+(\\S+)").matcher(command);
    assertThat(jar.find()).as("the ENTRYPOINT runs java -jar").isTrue();
    String[] copy = dockerfile.jarCopy().arguments().split("\\s+");
    assertThat(jar.group(1))
        .as("the ENTRYPOINT runs the jar the image holds")
        .isEqualTo(copy[copy.length - 1]);
    assertThat(command).as("the ENTRYPOINT passes the command's arguments on").contains("\"$@\"");
  }

  @Test
  void imagePortsVolumeAndUserFitItsDefaults() {
    Map<String, String> env = new LinkedHashMap<>();
    for (DockerfileText.Instruction i : dockerfile.all("ENV")) {
      if (i.stage().equals(dockerfile.finalStage())) {
        Matcher m = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(i.arguments());
        while (m.find()) {
          env.put(m.group(1), m.group(2).replace("\"", ""));
        }
      }
    }
    Set<String> exposed = new HashSet<>();
    dockerfile
        .all("EXPOSE")
        .forEach(i -> exposed.addAll(Arrays.asList(i.arguments().split("\\s+"))));
    for (String listen :
        List.of("TLSRPT_HTTP_LISTEN", "TLSRPT_SMTP_LISTEN", "TLSRPT_WORKER_LISTEN")) {
      assertThat(env).as("the image sets %s for a container", listen).containsKey(listen);
      assertThat(env.get(listen)).as(listen).startsWith("0.0.0.0:");
      assertThat(exposed)
          .as("EXPOSE includes the port of %s", listen)
          .contains(portOf(env.get(listen)));
    }
    String volumes =
        dockerfile.last("VOLUME").orElseThrow(() -> new AssertionError("no VOLUME")).arguments();
    assertThat(volumes).as("the VOLUME is TLSRPT_DATA_DIR").contains(env.get("TLSRPT_DATA_DIR"));
    String user =
        dockerfile.last("USER").orElseThrow(() -> new AssertionError("no USER")).arguments();
    assertThat(user.split(":")[0]).as("the image runs as a non-root user").isNotIn("root", "0");
    assertThat(dockerfile.last("HEALTHCHECK")).as("the image has a HEALTHCHECK").isPresent();
    assertThat(read(".dockerignore").lines().map(String::strip).toList())
        .as(".dockerignore keeps build output, data and the repository out of the build context")
        .contains("**/target/", "data/", ".git/");
  }

  @Test
  void grafanaProvisionsTheDataSourceTheDashboardsUse() {
    String file = PROVISIONING + "/datasources/clickhouse.yaml";
    JsonNode provisioning = yaml(file);
    assertThat(provisioning.path("apiVersion").asInt()).as("%s apiVersion", file).isEqualTo(1);
    List<JsonNode> clickhouse = new ArrayList<>();
    for (JsonNode d : provisioning.path("datasources")) {
      if (d.path("type").asText().equals(DATASOURCE_TYPE)) {
        clickhouse.add(d);
      }
    }
    assertThat(clickhouse).as("one %s data source in %s", DATASOURCE_TYPE, file).hasSize(1);
    JsonNode ds = clickhouse.getFirst();
    assertThat(ds.path("uid").asText()).isEqualTo(DATASOURCE_UID);
    assertThat(compose.serviceNames())
        .as("the data source's host is a service of docker-compose.yml")
        .contains(ds.path("jsonData").path("host").asText());
    assertThat(ds.path("jsonData").path("defaultDatabase").asText())
        .as("the data source's database is storage.database's default")
        .isEqualTo(setting("storage.database").defaultValue());

    Map<String, String> grafana = compose.environment("grafana");
    Map<String, String> server = compose.environment("clickhouse");
    for (ComposeVariables.Reference r : ComposeVariables.references(read(file))) {
      assertThat(grafana)
          .as("the grafana service sets %s, which %s reads", r.name(), file)
          .containsKey(r.name());
    }
    String user = ds.path("jsonData").path("username").asText().replaceAll("[${}]", "");
    String password = ds.path("secureJsonData").path("password").asText().replaceAll("[${}]", "");
    assertThat(grafana.get(user))
        .as("Grafana's ClickHouse user")
        .isEqualTo(server.get("CLICKHOUSE_USER"));
    assertThat(grafana.get(password))
        .as("Grafana's ClickHouse password")
        .isEqualTo(server.get("CLICKHOUSE_PASSWORD"));
    assertThat(
            grafana.getOrDefault("GF_PLUGINS_PREINSTALL_SYNC", "")
                + grafana.getOrDefault("GF_INSTALL_PLUGINS", ""))
        .as("the grafana service installs the %s plugin", DATASOURCE_TYPE)
        .contains(DATASOURCE_TYPE);
  }

  @Test
  void grafanaMountsTheProvisioningAndTheDashboardFolderItLoads() {
    Map<String, String> mounts = new LinkedHashMap<>();
    for (JsonNode v : compose.service("grafana").path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts.length >= 2) {
        mounts.put(parts[0].replaceFirst("^\\./", ""), parts[1]);
      }
    }
    assertThat(mounts)
        .as("grafana mounts %s", PROVISIONING)
        .containsEntry(PROVISIONING, "/etc/grafana/provisioning");
    assertThat(mounts).as("grafana mounts %s", DASHBOARDS).containsKey(DASHBOARDS);
    assertThat(ROOT.resolve(PROVISIONING)).isDirectory();
    assertThat(ROOT.resolve(DASHBOARDS)).isDirectory();

    JsonNode providers = yaml(PROVISIONING + "/dashboards/tlsrpt.yaml");
    assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
    List<String> paths = new ArrayList<>();
    for (JsonNode p : providers.path("providers")) {
      assertThat(p.path("type").asText())
          .as("dashboard provider %s", p.path("name"))
          .isEqualTo("file");
      paths.add(p.path("options").path("path").asText());
    }
    assertThat(paths)
        .as("a dashboard provider reads where the dashboards are mounted")
        .contains(mounts.get(DASHBOARDS));
  }

  @Test
  void dashboardsNameTheProvisionedDataSource() throws IOException {
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve(DASHBOARDS))) {
      for (Path json : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        collectWrongDataSources(new ObjectMapper().readTree(json.toFile()), json, wrong);
      }
    }
    assertThat(wrong)
        .as("panels and queries of the dashboards name the data source by uid %s", DATASOURCE_UID)
        .isEmpty();
  }

  @Test
  void theDashboardCheckFindsAQueryNamingAnotherDataSource() throws IOException {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(
                "{\"panels\": [{\"targets\": [{\"datasource\": {\"type\": \""
                    + DATASOURCE_TYPE
                    + "\", \"uid\": \"${DS_CLICKHOUSE}\"}}]}]}");
    List<String> wrong = new ArrayList<>();
    collectWrongDataSources(dashboard, ROOT.resolve(DASHBOARDS).resolve("x.json"), wrong);
    assertThat(wrong).hasSize(1);
  }

  private static void collectWrongDataSources(JsonNode node, Path file, List<String> wrong) {
    if (node.isObject()) {
      JsonNode ds = node.path("datasource");
      if (ds.isObject()
          && ds.path("type").asText().equals(DATASOURCE_TYPE)
          && !ds.path("uid").asText().equals(DATASOURCE_UID)) {
        wrong.add(ROOT.relativize(file) + ": " + ds);
      }
    }
    node.forEach(child -> collectWrongDataSources(child, file, wrong));
  }

  private static Setting setting(String key) {
    return AllSettings.ALL.stream()
        .filter(s -> s.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no setting " + key));
  }
}

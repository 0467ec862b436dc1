package org.tlsrpt.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tlsrpt.app.config.StorageSettings;
import org.tlsrpt.readiness.Readiness;
import org.tlsrpt.readiness.ReadinessJson;
import org.tlsrpt.readiness.ReadinessSettings;
import org.tlsrpt.storage.ReadinessQueries;
import org.tlsrpt.storage.engine.ClickHouse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tlsrpt readiness}: per MTA-STS policy domain, whether it can move from testing to enforce
 * without losing mail, and what an enforce domain refuses (docs/adr/0016).
 */
@Command(
    name = "readiness",
    mixinStandardHelpOptions = true,
    description = {
      "Say per MTA-STS policy domain whether its policy can move from mode: testing to mode:"
          + " enforce without losing mail (ready, not ready with each reason and what to do, not"
          + " enough data), and for an enforce domain the mail it refused; from the stored reports"
          + " and the stored posture checks (check.domains).",
      "Exit status: 0 when every domain is ready or enforced without losing mail, 1 otherwise."
    })
final class ReadinessCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @CommandLine.ParentCommand TlsrptCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DOMAIN", arity = "0..*", description = "Policy domains (default: all).")
  List<String> domains = new ArrayList<>();

  @CommandLine.Mixin SinceOption since;

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "table|json",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @CommandLine.Mixin StoreOptions storeOptions;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    LocalDate from = since.from(err, "tlsrpt readiness");
    if (from == null) {
      return CommandLine.ExitCode.USAGE;
    }
    if (!format.equals("table") && !format.equals("json")) {
      err.println("tlsrpt readiness: --format takes table or json, not '" + format + "'");
      return CommandLine.ExitCode.USAGE;
    }
    StorageSettings storage =
        StorageSettings.from(parent.settings()).withDataDir(storeOptions.dataDir);
    ObjectNode answer = throughServe(storage, err);
    if (answer == null) {
      answer = local(storage, from);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.equals("json")) {
      out.println(MAPPER.writeValueAsString(answer));
    } else {
      ReadinessTable.print(out, answer);
    }
    out.flush();
    for (JsonNode row : answer.path("rows")) {
      String v = row.path("verdict").asText();
      if (!v.equals("ready") && !v.equals("enforced")) {
        return 1;
      }
    }
    return 0;
  }

  /** The answer of a running serve, one request per domain asked for; null when none answers. */
  private ObjectNode throughServe(StorageSettings storage, PrintWriter err) throws IOException {
    if (domains.isEmpty()) {
      String body = ThroughServe.readiness(storage, since.since, null, err);
      return body == null ? null : (ObjectNode) MAPPER.readTree(body);
    }
    ObjectNode all = null;
    for (String d : domains) {
      String body = ThroughServe.readiness(storage, since.since, d, all == null ? err : silent());
      if (body == null) {
        return null;
      }
      ObjectNode one = (ObjectNode) MAPPER.readTree(body);
      if (all == null) {
        all = one;
      } else {
        ((ArrayNode) all.get("rows")).addAll((ArrayNode) one.get("rows"));
      }
    }
    return all;
  }

  private static PrintWriter silent() {
    return new PrintWriter(new StringWriter());
  }

  /** The answer from the store itself, when no serve owns it. */
  private ObjectNode local(StorageSettings storage, LocalDate from) throws IOException {
    ReadinessSettings settings = ReadinessSettings.from(parent.settings());
    StringWriter json = new StringWriter();
    try (ClickHouse ch = storage.open();
        JsonGenerator g = new JsonFactory().createGenerator(json)) {
      Readiness r =
          new Readiness(
              new ReadinessQueries(ch, storage.database(), storage.summaries(ch)),
              settings,
              Clock.systemUTC());
      ReadinessJson.write(g, from, settings, r.assess(from, domains));
    }
    return (ObjectNode) MAPPER.readTree(json.toString());
  }
}

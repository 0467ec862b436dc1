package org.tlsrpt.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tlsrpt bench corpus}: writes a benchmark corpus built from the bundled real reports: each
 * report varied (report id, day, counts) and written three ways: as a JSON body, as {@code
 * .json.gz} and inside a report e-mail.
 */
@Command(
    name = "corpus",
    mixinStandardHelpOptions = true,
    description = {
      "Write a benchmark corpus built from the bundled real reports into DIR/json, DIR/gz and"
          + " DIR/eml: the same reports as JSON bodies, .json.gz files and report e-mails."
    })
public final class BenchCorpusCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(
      names = "--count",
      defaultValue = "1000",
      description = "Reports per kind (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--seed",
      defaultValue = "8460",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Parameters(paramLabel = "DIR", description = "Where to write the corpus.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    List<BundledSamples.Sample> samples = BundledSamples.all();
    Random random = new Random(seed);
    for (String sub : List.of("json", "gz", "eml")) {
      Files.createDirectories(dir.resolve(sub));
    }
    long emlBytes = 0;
    for (int i = 0; i < count; i++) {
      BundledSamples.Sample sample = samples.get(i % samples.size());
      ObjectNode report = (ObjectNode) MAPPER.readTree(sample.bytes());
      Instant start =
          Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(i / samples.size()));
      Instant end = start.plusSeconds(86_399);
      String reportId = start + "_" + i + "_" + sample.name().replace(".json", "");
      report.put("report-id", reportId);
      ObjectNode range = (ObjectNode) report.get("date-range");
      range.put("start-datetime", start.toString());
      range.put("end-datetime", end.toString());
      String domain = "example.com";
      for (JsonNode p : (ArrayNode) report.get("policies")) {
        ObjectNode summary = (ObjectNode) p.get("summary");
        if (summary.has("total-successful-session-count")) {
          summary.put("total-successful-session-count", random.nextInt(100_000));
        }
        JsonNode d = p.at("/policy/policy-domain");
        if (!d.isMissingNode()) {
          domain = d.asText();
        }
      }
      byte[] json = MAPPER.writeValueAsBytes(report);
      byte[] gz = gzip(json);
      String submitter = submitter(report);
      byte[] eml = SyntheticReportMail.build(random, submitter, domain, reportId, start, end, gz);
      String name = String.format("%06d", i);
      Files.write(dir.resolve("json").resolve(name + ".json"), json);
      Files.write(dir.resolve("gz").resolve(name + ".json.gz"), gz);
      Files.write(dir.resolve("eml").resolve(name + ".eml"), eml);
      emlBytes += eml.length;
    }
    System.out.printf(
        "wrote %d reports as JSON, .json.gz and e-mail under %s (e-mails average %.1f KB)%n",
        count, dir, emlBytes / 1024.0 / count);
    return 0;
  }

  private static String submitter(JsonNode report) {
    JsonNode contact = report.get("contact-info");
    if (contact != null && contact.isTextual() && contact.asText().contains("@")) {
      String d = contact.asText().substring(contact.asText().indexOf('@') + 1);
      String[] labels = d.split("\\.");
      return labels.length >= 2 ? labels[labels.length - 2] + "." + labels[labels.length - 1] : d;
    }
    return "reporter.example";
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}

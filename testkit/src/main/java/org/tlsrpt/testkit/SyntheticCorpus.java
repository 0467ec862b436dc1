package org.tlsrpt.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Benchmark reports made from the bundled real ones: report {@code i} is sample {@code i mod n}
 * with its own report-id (unique), day and session counts, as JSON, gzip JSON and a report e-mail.
 */
public final class SyntheticCorpus {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SyntheticCorpus() {}

  /**
   * @param successful the successful sessions the report states, all policies together
   * @param failed the failed sessions it states
   */
  public record Report(byte[] json, byte[] gz, byte[] eml, long successful, long failed) {}

  public static Report report(List<SampleReport> samples, Random random, int i) {
    return report(samples, random, i, Integer.MAX_VALUE);
  }

  /**
   * @param days the reports' days cycle through this many days from 2026-01-01 (a live service
   *     receives reports for the last day or two; an archive spans years)
   */
  public static Report report(List<SampleReport> samples, Random random, int i, int days) {
    try {
      SampleReport sample = samples.get(i % samples.size());
      ObjectNode report = (ObjectNode) MAPPER.readTree(sample.bytes());
      Instant start =
          Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays((i / samples.size()) % days));
      Instant end = start.plusSeconds(86_399);
      String reportId = start + "_" + i + "_" + sample.name().replace(".json", "");
      report.put("report-id", reportId);
      ObjectNode range = (ObjectNode) report.get("date-range");
      range.put("start-datetime", start.toString());
      range.put("end-datetime", end.toString());
      String domain = "example.com";
      long ok = 0;
      long failed = 0;
      for (JsonNode p : (ArrayNode) report.get("policies")) {
        ObjectNode summary = (ObjectNode) p.get("summary");
        if (summary.has("total-successful-session-count")) {
          summary.put("total-successful-session-count", random.nextInt(100_000));
        }
        ok += summary.path("total-successful-session-count").asLong();
        failed += summary.path("total-failure-session-count").asLong();
        JsonNode d = p.at("/policy/policy-domain");
        if (!d.isMissingNode()) {
          domain = d.asText();
        }
      }
      byte[] json = MAPPER.writeValueAsBytes(report);
      byte[] gz = gzip(json);
      byte[] eml =
          SyntheticReportMail.build(random, submitter(report), domain, reportId, start, end, gz);
      return new Report(json, gz, eml, ok, failed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

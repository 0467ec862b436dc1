package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tlsrpt parse}: the JSON Lines contract of docs/cli.md and the exit statuses. */
class ParseCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> REPORT_KEYS =
      Set.of("report_id", "organization", "contact_info", "date_range", "policies");
  private static final Set<String> POLICY_KEYS =
      Set.of(
          "policy_type",
          "policy_domain",
          "mode",
          "policy_string",
          "mx_host",
          "successful",
          "failed",
          "failures");
  private static final Set<String> FAILURE_KEYS =
      Set.of(
          "result_type",
          "sending_mta_ip",
          "receiving_mx_hostname",
          "receiving_mx_helo",
          "receiving_ip",
          "failed_session_count",
          "failure_reason_code",
          "additional_information");
  private static final Set<String> TRANSPORT_KEYS =
      Set.of(
          "tls_report_domain",
          "tls_report_submitter",
          "subject_report_id",
          "attachment_filename",
          "attachment_content_type",
          "from",
          "message_id",
          "date");

  private static List<JsonNode> lines(String out) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }

  private static List<String> keys(JsonNode n) {
    List<String> k = new ArrayList<>();
    n.fieldNames().forEachRemaining(k::add);
    return k;
  }

  @Test
  void printsOneLinePerReportInTheDocumentedShapeAndExitsOneWhenAnyIsRejected() throws Exception {
    CliRun run = CliRun.of("parse", SamplesDir.get().toString());
    assertThat(run.exit()).isEqualTo(1);
    List<JsonNode> lines = lines(run.out());
    try (var files = Files.list(SamplesDir.get())) {
      assertThat(lines).hasSize((int) files.count());
    }
    for (JsonNode line : lines) {
      assertThat(line.get("source").asText()).startsWith(SamplesDir.get().toString());
      if (line.get("status").asText().equals("rejected")) {
        assertThat(keys(line)).containsExactly("source", "status", "error");
        assertThat(keys(line.get("error"))).containsExactly("code", "message");
        continue;
      }
      assertThat(keys(line)).containsExactly("source", "status", "report", "transport", "warnings");
      JsonNode report = line.get("report");
      assertThat(keys(report)).containsExactlyInAnyOrderElementsOf(REPORT_KEYS);
      assertThat(report.at("/date_range/start").asText()).endsWith("Z");
      for (JsonNode p : report.get("policies")) {
        assertThat(keys(p)).containsExactlyInAnyOrderElementsOf(POLICY_KEYS);
        assertThat(p.get("successful").isIntegralNumber()).isTrue();
        assertThat(p.get("mx_host").isNull() || p.get("mx_host").isArray()).isTrue();
        assertThat(p.get("policy_domain").isNull() || !p.get("policy_domain").asText().isEmpty())
            .isTrue();
        for (JsonNode f : p.get("failures")) {
          assertThat(keys(f)).containsExactlyInAnyOrderElementsOf(FAILURE_KEYS);
          assertThat(f.get("failed_session_count").isIntegralNumber()).isTrue();
        }
      }
      JsonNode transport = line.get("transport");
      if (line.get("source").asText().endsWith(".eml")) {
        assertThat(keys(transport)).containsExactlyInAnyOrderElementsOf(TRANSPORT_KEYS);
      } else {
        assertThat(transport.isNull()).isTrue();
      }
    }
    List<JsonNode> rejected =
        lines.stream().filter(l -> l.get("status").asText().equals("rejected")).toList();
    assertThat(rejected)
        .extracting(l -> Path.of(l.get("source").asText()).getFileName().toString())
        .containsExactly("PROVENANCE.md", "stalwart__rpt03_invalid_policy_type.json");
    assertThat(rejected)
        .extracting(l -> l.at("/error/code").asText())
        .containsExactly("not_a_report", "missing_field");
  }

  @Test
  void printsTheRfcExampleFieldByField() throws Exception {
    CliRun run =
        CliRun.of("parse", SamplesDir.get().resolve("parsedmarc__rfc8460.json").toString());
    assertThat(run.exit()).isZero();
    JsonNode line = lines(run.out()).get(0);
    assertThat(line.get("status").asText()).isEqualTo("accepted");
    JsonNode r = line.get("report");
    assertThat(r.get("report_id").asText()).isEqualTo("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
    assertThat(r.get("organization").asText()).isEqualTo("Company-X");
    assertThat(r.at("/date_range/start").asText()).isEqualTo("2016-04-01T00:00:00Z");
    assertThat(r.at("/date_range/end").asText()).isEqualTo("2016-04-01T23:59:59Z");
    JsonNode p = r.get("policies").get(0);
    assertThat(p.get("policy_type").asText()).isEqualTo("sts");
    assertThat(p.get("mode").asText()).isEqualTo("testing");
    assertThat(p.get("mx_host").get(0).asText()).isEqualTo("*.mail.company-y.example");
    assertThat(p.get("successful").asLong()).isEqualTo(5326);
    assertThat(p.get("failed").asLong()).isEqualTo(303);
    JsonNode f = p.get("failures").get(0);
    assertThat(f.get("result_type").asText()).isEqualTo("certificate-expired");
    assertThat(f.get("sending_mta_ip").asText()).isEqualTo("2001:db8:abcd:12::1");
    assertThat(f.get("receiving_ip").isNull()).isTrue();
    assertThat(f.get("receiving_mx_helo").isNull()).isTrue();
    assertThat(line.get("warnings").get(0).asText()).contains("mx-host");
  }

  @Test
  void readsStandardInputAndHttpBodiesWithAContentType(@TempDir Path dir) throws Exception {
    byte[] json = Files.readAllBytes(SamplesDir.get().resolve("cry-inc__google.json"));
    CliRun stdin = CliRun.withStdin(new ByteArrayInputStream(json), "parse", "-");
    assertThat(stdin.exit()).isZero();
    assertThat(lines(stdin.out()).get(0).get("source").asText()).isEqualTo("-");

    Path gz = dir.resolve("body");
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(json);
    }
    CliRun http = CliRun.of("parse", "--content-type", "application/tlsrpt+gzip", gz.toString());
    assertThat(http.exit()).isZero();
    assertThat(lines(http.out()).get(0).at("/report/organization").asText())
        .isEqualTo("Google Inc.");
  }

  @Test
  void prettyOutputIsStillOneJsonValuePerReport() throws Exception {
    CliRun run =
        CliRun.of(
            "parse",
            "--pretty",
            SamplesDir.get().resolve("cry-inc__google.json").toString(),
            SamplesDir.get().resolve("cry-inc__microsoft.json").toString());
    assertThat(run.exit()).isZero();
    assertThat(run.out().lines().count()).isGreaterThan(10);
    try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(run.out())) {
      List<JsonNode> all = it.readAll();
      assertThat(all).hasSize(2);
    }
  }

  @Test
  void exitsTwoWithAMessageForAMissingFile() {
    CliRun run = CliRun.of("parse", "/nonexistent/report.json");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("/nonexistent/report.json", "no such file");
    assertThat(run.out()).isBlank();
  }

  @Test
  void goesOnPastAMissingFileAndStillExitsTwo() throws Exception {
    CliRun run =
        CliRun.of(
            "parse",
            "/nonexistent/a.json",
            SamplesDir.get().resolve("cry-inc__google.json").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(lines(run.out())).hasSize(1);
    assertThat(run.err()).contains("/nonexistent/a.json");
  }

  @Test
  void takesStandardInputOnlyOnce() {
    CliRun run = CliRun.of("parse", "-", "-");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("only once");
  }

  @Test
  void exitsTwoOnAUsageError() {
    assertThat(CliRun.of("parse").exit()).isEqualTo(2);
    assertThat(CliRun.of("parse", "--bogus", "x").exit()).isEqualTo(2);
    CliRun unknown = CliRun.of("frobnicate");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("frobnicate");
  }

  @Test
  void printsHelpForTheToolAndForEachCommand() {
    CliRun top = CliRun.of("--help");
    assertThat(top.exit()).isZero();
    assertThat(top.out()).contains("Usage: tlsrpt", "parse", "bench", "docs/configuration.md");
    CliRun parse = CliRun.of("parse", "--help");
    assertThat(parse.exit()).isZero();
    assertThat(parse.out())
        .contains("Usage: tlsrpt parse", "--pretty", "--content-type", "Exit status");
    assertThat(CliRun.of("help", "bench").out()).contains("corpus");
  }

  @Test
  void appliesParserLimitsFromTheConfigFile(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("tlsrpt.conf");
    Files.writeString(config, "# small limit\nparser.max_input_bytes = 100\n");
    CliRun run =
        CliRun.of(
            "--config",
            config.toString(),
            "parse",
            SamplesDir.get().resolve("cry-inc__google.json").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(lines(run.out()).get(0).at("/error/code").asText()).isEqualTo("size_limit");
  }

  @Test
  void refusesAnInvalidSettingNamingTheKey(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("tlsrpt.conf");
    Files.writeString(config, "parser.max_json_depth = deep\n");
    CliRun run = CliRun.of("--config", config.toString(), "parse", "-");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("parser.max_json_depth", "TLSRPT_PARSER_MAX_JSON_DEPTH", "deep", "expected");

    Files.writeString(config, "parser.max_jsn_depth = 3\n");
    CliRun typo = CliRun.of("--config", config.toString(), "parse", "-");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("unknown setting 'parser.max_jsn_depth'");
  }
}

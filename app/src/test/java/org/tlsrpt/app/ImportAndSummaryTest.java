package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.parser.model.PolicyResult;

/**
 * {@code tlsrpt import} and {@code tlsrpt summary} against the embedded store: the samples imported
 * twice give the totals the files state, once; mbox and Maildir are read message by message.
 */
class ImportAndSummaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private JsonNode summary(String... extra) throws Exception {
    String[] args =
        new String[] {
          "summary",
          "--data-dir",
          dir.resolve("data").toString(),
          "--since",
          "20000d",
          "--format",
          "json"
        };
    String[] all = new String[args.length + extra.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    CliRun run = CliRun.of(all);
    assertThat(run.exit()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  /** Reports, successful and failed sessions stated by the files, each distinct report once. */
  private static long[] sumsOf(Path samples) throws Exception {
    ReportParser parser = new ReportParser();
    Set<Object> seen = new HashSet<>();
    long[] s = new long[3];
    try (var files = Files.list(samples)) {
      for (Path f : files.sorted().toList()) {
        if (parser.parse(Files.readAllBytes(f)) instanceof ParseOutcome.Parsed p) {
          for (ParsedReport r : p.reports()) {
            if (seen.add(r.report().key())) {
              s[0]++;
              for (PolicyResult pr : r.report().policies()) {
                s[1] += pr.successfulSessions();
                s[2] += pr.failedSessions();
              }
            }
          }
        }
      }
    }
    return s;
  }

  @Test
  void importingTheSamplesTwiceGivesTheirTotalsOnce() throws Exception {
    String data = dir.resolve("data").toString();
    CliRun first = CliRun.of("import", "--data-dir", data, SamplesDir.get().toString());
    assertThat(first.exit()).isEqualTo(1); // two samples are rejected by design
    assertThat(first.out()).contains("rejected missing_field", "rejected not_a_report");
    CliRun second = CliRun.of("import", "--data-dir", data, SamplesDir.get().toString());
    assertThat(second.out()).contains("0 reports accepted").contains("18 duplicates");
    long[] expected = sumsOf(SamplesDir.get());
    JsonNode s = summary();
    assertThat(s.get("reports").asLong()).isEqualTo(expected[0]);
    assertThat(s.get("successful_sessions").asLong()).isEqualTo(expected[1]);
    assertThat(s.get("failed_sessions").asLong()).isEqualTo(expected[2]);
    long rowsFailed = 0;
    for (JsonNode row : s.get("rows")) {
      rowsFailed += row.get("failed_sessions").asLong();
    }
    assertThat(rowsFailed).isEqualTo(expected[2]);
  }

  @Test
  void readsAnMboxMessageByMessage() throws Exception {
    byte[] a = Files.readAllBytes(SamplesDir.get().resolve("stalwart__rpt01_rfc_example_gzip.eml"));
    byte[] b = Files.readAllBytes(SamplesDir.get().resolve("isseis__tlsrpt_failure.eml"));
    String mbox =
        "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\n"
            + new String(a, StandardCharsets.ISO_8859_1).replace("\r\n", "\n")
            + "\nFrom tlsrpt@google.com Sat Jul  9 12:08:34 2011\n"
            + new String(b, StandardCharsets.ISO_8859_1).replace("\r\n", "\n")
            + "\n";
    Path file = dir.resolve("reports.mbox");
    Files.write(file, mbox.getBytes(StandardCharsets.ISO_8859_1));
    CliRun run = CliRun.of("import", "--data-dir", dir.resolve("data").toString(), file.toString());
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("imported 2 inputs: 2 reports accepted");
    assertThat(summary().get("reports").asLong()).isEqualTo(2);
  }

  @Test
  void readsTheNewAndCurMessagesOfAMaildir() throws Exception {
    Path maildir = dir.resolve("Maildir");
    for (String sub : List.of("cur", "new", "tmp")) {
      Files.createDirectories(maildir.resolve(sub));
    }
    Files.copy(
        SamplesDir.get().resolve("isseis__tlsrpt_success_google_1.eml"),
        maildir.resolve("new/1.host"));
    Files.copy(
        SamplesDir.get().resolve("isseis__tlsrpt_success_microsoft.eml"),
        maildir.resolve("cur/2.host:2,S"));
    Files.writeString(maildir.resolve("tmp/3.host"), "half-written delivery");
    CliRun run =
        CliRun.of("import", "--data-dir", dir.resolve("data").toString(), maildir.toString());
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("imported 2 inputs: 2 reports accepted");
    JsonNode byOrg = summary("--by", "org");
    assertThat(byOrg.get("rows")).hasSize(2);
  }

  @Test
  void summarisesAsATableAndAsCsvAndRefusesBadOptions() throws Exception {
    CliRun.of("import", "--data-dir", dir.resolve("data").toString(), SamplesDir.get().toString());
    String data = dir.resolve("data").toString();
    CliRun table = CliRun.of("summary", "--data-dir", data, "--since", "20000d");
    assertThat(table.out()).contains("sending organization", "Google Inc.", "enforce", "total:");
    CliRun csv =
        CliRun.of(
            "summary", "--data-dir", data, "--since", "20000d", "--by", "mx", "--format", "csv");
    assertThat(csv.out())
        .startsWith("key,modes,reports,successful_sessions,failed_sessions")
        .contains("mx1.mail.company-y.example");
    CliRun domain =
        CliRun.of(
            "summary",
            "--data-dir",
            data,
            "--since",
            "20000d",
            "--domain",
            "COMPANY-Y.example",
            "--format",
            "json");
    assertThat(JSON.readTree(domain.out()).get("failed_sessions").asLong()).isEqualTo(303);
    assertThat(CliRun.of("summary", "--data-dir", data, "--since", "month").exit()).isEqualTo(2);
    // a number too long for an int is a usage error with what is accepted, not a stack trace
    CliRun huge = CliRun.of("summary", "--data-dir", data, "--since", "99999999999d");
    assertThat(huge.exit()).isEqualTo(2);
    assertThat(huge.err())
        .isEqualTo(
            "tlsrpt summary: --since takes a number of days from 1d to 36600d, such as 30d, not"
                + " '99999999999d'\n");
    assertThat(CliRun.of("summary", "--data-dir", data, "--by", "colour").exit()).isEqualTo(2);
  }

  @Test
  void reprocessingTheArchiveChangesNoTotals() throws Exception {
    String data = dir.resolve("data").toString();
    CliRun.of("import", "--data-dir", data, SamplesDir.get().toString());
    JsonNode before = summary("--by", "result");
    CliRun run = CliRun.of("reprocess", "--data-dir", data);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("reprocessed 18 inputs", "rejected missing_field");
    assertThat(summary("--by", "result")).isEqualTo(before);
  }

  @Test
  void readinessOpensTheStoreItselfWhenNoServeOwnsIt() throws Exception {
    String data = dir.resolve("data").toString();
    CliRun.of("import", "--data-dir", data, SamplesDir.get().toString());
    CliRun json =
        CliRun.of("readiness", "--data-dir", data, "--since", "20000d", "--format", "json");
    assertThat(json.err()).doesNotContain("asked its API");
    // company-y.example (RFC 8460's example) is in testing mode and fails: exit status 1
    assertThat(json.exit()).as(json.err()).isEqualTo(1);
    JsonNode rows =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get("rows");
    assertThat(rows.findValuesAsText("domain"))
        .containsExactly(
            "company-y.example", "example.com", "foo-bar.io", "random.net", "server.com");
    assertThat(rows.findValuesAsText("verdict"))
        .containsExactly("not_ready", "enforced", "enforced", "enforced", "enforced");
    long silent =
        java.time.temporal.ChronoUnit.DAYS.between(
            java.time.LocalDate.parse("2016-04-01"),
            java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    CliRun table =
        CliRun.of("readiness", "--data-dir", data, "--since", "20000d", "company-y.example");
    assertThat(table.exit()).isEqualTo(1);
    assertThat(table.out())
        .isEqualTo(
            """
            policy domain      mode     verdict                  sessions   failed   share  trend
            company-y.example  testing  not ready                   5,629      303   5.38%  steady

            company-y.example is not ready for mode: enforce: 3 blocking reasons
              - Company-X reports starttls-not-supported on mx2.mail.company-y.example: 200 of 5,629 \
            sessions (3.55%) would be refused under enforce; it says \
            "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
                what to do: offer STARTTLS on mx2.mail.company-y.example, on every address it has
              - Company-X reports certificate-expired on mx1.mail.company-y.example: 100 of 5,629 \
            sessions (1.78%) would be refused under enforce
                what to do: renew the certificate of mx1.mail.company-y.example and automate its \
            renewal
              - Company-X has not reported since 2016-04-01 (SILENT days): what it sends now is not \
            known
                what to do: find out whether Company-X still sends mail to company-y.example and \
            whether its reports reach the rua of _smtp._tls.company-y.example
              note: no posture check stored for company-y.example: add it to check.domains to have \
            its MX hosts, certificates and policy file checked too
              note: only 1 day with reports in the window; 14 needed (readiness.min_days)
              note: only 0 reporters still reporting; 2 needed (readiness.min_reporters)
            """
                .replace("SILENT", String.format(java.util.Locale.ROOT, "%,d", silent)));
    assertThat(CliRun.of("readiness", "--data-dir", data, "--format", "xml").exit()).isEqualTo(2);
  }
}

package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * What every storage engine must do with the full schema (James' contract-test pattern): an
 * implementation supplies a fresh, migrated engine per test.
 */
interface StorageContract {

  /** A fresh engine with the schema applied, in database {@link #DB}. */
  ClickHouse engine();

  String DB = "tlsrpt";
  LocalDate ALL_TIME = LocalDate.parse("2000-01-01");

  private static List<Incoming> samples() {
    ReportParser parser = new ReportParser();
    List<Incoming> out = new ArrayList<>();
    for (var f : TestSamples.all()) {
      out.add(
          Incoming.of(
              parser.parse(TestSamples.bytes(f)),
              Source.FILE,
              Instant.parse("2026-11-01T10:00:00Z")));
    }
    return out;
  }

  /** Reports, successful and failed sessions in the inputs, each distinct report counted once. */
  private static long[] sums(List<Incoming> inputs) {
    long reports = 0;
    long ok = 0;
    long failed = 0;
    java.util.Set<Object> seen = new java.util.HashSet<>();
    for (Incoming in : inputs) {
      if (in.outcome() instanceof ParseOutcome.Parsed p) {
        for (ParsedReport r : p.reports()) {
          if (!seen.add(r.report().key())) {
            continue; // the RFC example is in three samples
          }
          reports++;
          for (PolicyResult pr : r.report().policies()) {
            ok += pr.successfulSessions();
            failed += pr.failedSessions();
          }
        }
      }
    }
    return new long[] {reports, ok, failed};
  }

  @Test
  default void appliesTheMigrationsOnceAndRecordsThem() {
    ClickHouse ch = engine();
    Migrations m = new Migrations(ch, SchemaOptions.local(DB));
    assertThat(m.apply()).isEmpty();
    assertThat(m.applied()).containsExactly(1, 2, 3, 4);
  }

  @Test
  default void storesTheSamplesWithTotalsEqualToTheSumsInTheFiles() {
    ClickHouse ch = engine();
    List<Incoming> inputs = samples();
    StoreResult result = new ReportStore(ch, DB).store(inputs);
    long[] expected = sums(inputs);
    assertThat(result.accepted()).isEqualTo((int) expected[0]);
    assertThat(result.rejectedByCode())
        .containsEntry("missing_field", 1)
        .containsEntry("not_a_report", 1);
    Summaries.Summary s = new Summaries(ch, DB).summary(ALL_TIME, null, Summaries.By.ORG);
    assertThat(s.reports()).isEqualTo(expected[0]);
    assertThat(s.successful()).isEqualTo(expected[1]);
    assertThat(s.failed()).isEqualTo(expected[2]);
    assertThat(s.rows())
        .extracting(Summaries.Row::key)
        .contains("Google Inc.", "Microsoft Corporation", "Mail.ru");
  }

  @Test
  default void importingTwiceChangesNoTotalsAndCountsDuplicates() {
    ClickHouse ch = engine();
    ReportStore store = new ReportStore(ch, DB);
    store.store(samples());
    Summaries.Summary before = new Summaries(ch, DB).summary(ALL_TIME, null, Summaries.By.ORG);
    StoreResult again = store.store(samples());
    assertThat(again.accepted()).isZero();
    // every report is a duplicate now, and so is every rejected input
    assertThat(again.duplicates())
        .isEqualTo(totalReports() + again.inputs() - countInputsWithReports());
    assertThat(again.rejected()).isZero();
    Summaries.Summary after = new Summaries(ch, DB).summary(ALL_TIME, null, Summaries.By.ORG);
    assertThat(after).isEqualTo(before);
  }

  private static int totalReports() {
    return samples().stream()
        .filter(i -> i.outcome() instanceof ParseOutcome.Parsed)
        .mapToInt(i -> ((ParseOutcome.Parsed) i.outcome()).reports().size())
        .sum();
  }

  private static int countInputsWithReports() {
    return (int) samples().stream().filter(i -> i.outcome() instanceof ParseOutcome.Parsed).count();
  }

  @Test
  default void theSameReportByTwoTransportsCountsOnce() {
    ClickHouse ch = engine();
    ReportParser parser = new ReportParser();
    byte[] json = TestSamples.bytes("parsedmarc__rfc8460.json");
    ParseOutcome byMail = parser.parse(TestSamples.gzipMail(json));
    ParseOutcome byHttps = parser.parseHttpBody(TestSamples.gzip(json), "application/tlsrpt+gzip");
    assertThat(byMail.rawSha256()).isNotEqualTo(byHttps.rawSha256());
    ReportStore store = new ReportStore(ch, DB);
    StoreResult first =
        store.store(
            List.of(Incoming.of(byMail, Source.SMTP, Instant.parse("2026-11-01T10:00:00Z"))));
    StoreResult second =
        store.store(
            List.of(Incoming.of(byHttps, Source.HTTPS, Instant.parse("2026-11-01T10:05:00Z"))));
    assertThat(first.accepted()).isEqualTo(1);
    assertThat(second.duplicates()).isEqualTo(1);
    Summaries.Summary s = new Summaries(ch, DB).summary(ALL_TIME, null, Summaries.By.ORG);
    assertThat(s.reports()).isEqualTo(1);
    assertThat(s.successful()).isEqualTo(5326);
    assertThat(s.failed()).isEqualTo(303);
  }

  @Test
  default void tellsWhichInputsOfABatchBroughtNothingNew() {
    ClickHouse ch = engine();
    ReportParser parser = new ReportParser();
    byte[] json = TestSamples.bytes("parsedmarc__rfc8460.json");
    Instant at = Instant.parse("2026-11-01T10:00:00Z");
    Incoming byMail = Incoming.of(parser.parse(TestSamples.gzipMail(json)), Source.SMTP, at);
    Incoming byHttps =
        Incoming.of(
            parser.parseHttpBody(TestSamples.gzip(json), "application/tlsrpt+gzip"),
            Source.HTTPS,
            at);
    Incoming broken =
        Incoming.of(parser.parse("not a report".getBytes(StandardCharsets.UTF_8)), Source.SMTP, at);
    ReportStore store = new ReportStore(ch, DB);
    // the same report in other bytes, the same bytes twice, a rejected input once
    StoreResult first = store.store(List.of(byMail, byHttps, byMail, broken));
    assertThat(first.duplicateInputs()).containsExactlyInAnyOrder(1, 2);
    StoreResult again = store.store(List.of(broken, byHttps));
    assertThat(again.duplicateInputs()).containsExactlyInAnyOrder(0, 1);
    assertThat(again.plus(first).duplicateInputs()).isEmpty();
  }

  @Test
  default void writingTheSameReportsAgainCountsThemOnceInTablesAndAggregates() {
    ClickHouse ch = engine();
    ReportStore store = new ReportStore(ch, DB);
    store.store(samples());
    Summaries summaries = new Summaries(ch, DB);
    Summaries.Summary before = summaries.summary(ALL_TIME, null, Summaries.By.RESULT);
    store.restore(samples()); // forced: every row written a second time
    assertThat(summaries.summary(ALL_TIME, null, Summaries.By.RESULT)).isEqualTo(before);
    assertThat(summaries.summary(ALL_TIME, null, Summaries.By.MX).failed())
        .isEqualTo(before.failed());
    String count =
        new String(
                ch.query("SELECT count() FROM " + DB + ".reports FINAL", "TabSeparated"),
                StandardCharsets.UTF_8)
            .trim();
    assertThat(Long.parseLong(count)).isEqualTo(before.reports());
  }

  @Test
  default void keepsTheExactBytesOfEveryInputAndShowsRejectionsWithTheirReason() {
    ClickHouse ch = engine();
    ReportParser parser = new ReportParser();
    byte[] bad = "{\"organization-name\": \"x\"".getBytes(StandardCharsets.UTF_8);
    byte[] good = TestSamples.gzip(TestSamples.bytes("cry-inc__google.json"));
    ParseOutcome rejected = parser.parse(bad);
    ParseOutcome accepted = parser.parse(good);
    new ReportStore(ch, DB)
        .store(
            List.of(
                Incoming.of(rejected, Source.FILE, Instant.now()),
                Incoming.of(accepted, Source.HTTPS, Instant.now())));
    String hex =
        new String(
                ch.query(
                    "SELECT hex(raw) FROM "
                        + DB
                        + ".raw_inputs FINAL WHERE sha256 = '"
                        + accepted.rawSha256()
                        + "'",
                    "TabSeparated"),
                StandardCharsets.UTF_8)
            .trim();
    assertThat(HexFormat.of().parseHex(hex.toLowerCase())).isEqualTo(good);
    byte[] everyByte = new byte[512];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) (i * 7);
    }
    ParseOutcome binary = parser.parse(everyByte);
    new ReportStore(ch, DB).store(List.of(Incoming.of(binary, Source.FILE, Instant.now())));
    String binaryHex =
        new String(
                ch.query(
                    "SELECT hex(raw) FROM "
                        + DB
                        + ".raw_inputs FINAL WHERE sha256 = '"
                        + binary.rawSha256()
                        + "'",
                    "TabSeparated"),
                StandardCharsets.UTF_8)
            .trim();
    assertThat(HexFormat.of().parseHex(binaryHex.toLowerCase())).isEqualTo(everyByte);
    String shown =
        new String(
            ch.query("SELECT code, message FROM " + DB + ".rejected_inputs", "TabSeparated"),
            StandardCharsets.UTF_8);
    assertThat(shown)
        .contains("invalid_json\tnot well-formed JSON")
        .contains("not_a_report\tinput is neither");
  }

  @Test
  default void summarisesByDomainMxAndResultType() {
    ClickHouse ch = engine();
    new ReportStore(ch, DB).store(samples());
    Summaries s = new Summaries(ch, DB);
    Summaries.Summary byDomain = s.summary(ALL_TIME, "company-y.example", Summaries.By.DOMAIN);
    assertThat(byDomain.rows()).extracting(Summaries.Row::key).containsExactly("company-y.example");
    assertThat(byDomain.rows().get(0).modes()).isEqualTo("testing");
    Summaries.Summary byResult = s.summary(ALL_TIME, null, Summaries.By.RESULT);
    assertThat(byResult.rows())
        .extracting(Summaries.Row::key)
        .contains("certificate-expired", "sts-policy-fetch-error");
    Summaries.Summary byMx = s.summary(ALL_TIME, null, Summaries.By.MX);
    assertThat(byMx.rows())
        .extracting(Summaries.Row::key)
        .contains("mx1.mail.company-y.example", "(none)");
    assertThat(byMx.rows().stream().mapToLong(Summaries.Row::failed).sum())
        .isEqualTo(byResult.rows().stream().mapToLong(Summaries.Row::failed).sum());
  }

  private static String policy(
      String type, String domain, long ok, long failed, String... failures) {
    StringBuilder f = new StringBuilder();
    for (String d : failures) {
      String[] p = d.split(" ");
      f.append(f.isEmpty() ? "" : ",")
          .append("{\"result-type\":\"")
          .append(p[0])
          .append("\",\"receiving-mx-hostname\":\"")
          .append(p[1])
          .append("\",\"failed-session-count\":")
          .append(p[2])
          .append('}');
    }
    return "{\"policy\":{\"policy-type\":\""
        + type
        + "\",\"policy-string\":[\"version: STSv1\",\"mode: enforce\",\"mx: *.example\","
        + "\"max_age: 86400\"],\"policy-domain\":\""
        + domain
        + "\"},\"summary\":{\"total-successful-session-count\":"
        + ok
        + ",\"total-failure-session-count\":"
        + failed
        + "},\"failure-details\":["
        + f
        + "]}";
  }

  private static Incoming report(String id, String day, String... policies) {
    String json =
        "{\"organization-name\":\"Attribution Org\",\"date-range\":{\"start-datetime\":\""
            + day
            + "T00:00:00Z\",\"end-datetime\":\""
            + day
            + "T23:59:59Z\"},\"contact-info\":\"tls@attribution.example\",\"report-id\":\""
            + id
            + "\",\"policies\":["
            + String.join(",", policies)
            + "]}";
    ParseOutcome o = new ReportParser().parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(o).isInstanceOf(ParseOutcome.Parsed.class);
    return Incoming.of(o, Source.FILE, Instant.parse("2026-11-01T10:00:00Z"));
  }

  @Test
  default void countsEachReportOnceInEveryRowOfEveryGrouping() {
    ClickHouse ch = engine();
    Incoming first =
        report(
            "r1",
            "2026-10-01",
            policy(
                "sts",
                "a.example",
                10,
                6,
                "certificate-expired mx1.a.example 2",
                "certificate-expired mx2.a.example 3",
                "starttls-not-supported mx1.a.example 1"),
            policy("tlsa", "a.example", 5, 4, "certificate-expired mx1.a.example 4"),
            policy("sts", "b.example", 7, 5, "validation-failure mx3.b.example 5"));
    Incoming second =
        report(
            "r2",
            "2026-10-01",
            policy("sts", "a.example", 1, 1, "certificate-expired mx1.a.example 1"));
    ReportStore store = new ReportStore(ch, DB);
    store.store(List.of(first));
    Summaries s = new Summaries(ch, DB);
    assertThat(s.summary(ALL_TIME, null, Summaries.By.ORG).reports()).isEqualTo(1);
    store.store(List.of(second)); // after a build: the day is rebuilt on the next read
    Summaries.Summary all = s.summary(ALL_TIME, null, Summaries.By.ORG);
    assertThat(all.reports()).isEqualTo(2);
    assertThat(all.successful()).isEqualTo(23);
    assertThat(all.failed()).isEqualTo(16);
    assertThat(all.rows())
        .containsExactly(new Summaries.Row("Attribution Org", "enforce", 2, 23L, 16));
    assertThat(s.summary(ALL_TIME, null, Summaries.By.DOMAIN).rows())
        .containsExactly(
            new Summaries.Row("a.example", "enforce", 2, 16L, 11),
            new Summaries.Row("b.example", "enforce", 1, 7L, 5));
    Summaries.Summary onlyB = s.summary(ALL_TIME, "b.example", Summaries.By.ORG);
    assertThat(onlyB.reports()).isEqualTo(1);
    assertThat(onlyB.rows())
        .containsExactly(new Summaries.Row("Attribution Org", "enforce", 1, 7L, 5));
    assertThat(s.summary(ALL_TIME, null, Summaries.By.RESULT).rows())
        .containsExactly(
            new Summaries.Row("certificate-expired", "enforce", 2, null, 10),
            new Summaries.Row("validation-failure", "enforce", 1, null, 5),
            new Summaries.Row("starttls-not-supported", "enforce", 1, null, 1));
    assertThat(s.summary(ALL_TIME, null, Summaries.By.MX).rows())
        .containsExactly(
            new Summaries.Row("mx1.a.example", "enforce", 2, null, 8),
            new Summaries.Row("mx3.b.example", "enforce", 1, null, 5),
            new Summaries.Row("mx2.a.example", "enforce", 1, null, 3));
    assertThat(s.summary(LocalDate.parse("2026-10-02"), null, Summaries.By.ORG).rows()).isEmpty();
  }

  @Test
  default void keepsEveryColumnOfAReportAsParsed() {
    ClickHouse ch = engine();
    ReportParser parser = new ReportParser();
    ParseOutcome o =
        parser.parse(TestSamples.gzipMail(TestSamples.bytes("parsedmarc__rfc8460.json")));
    new ReportStore(ch, DB)
        .store(
            List.of(
                new Incoming(
                    o,
                    Source.SMTP,
                    Instant.parse("2026-11-01T10:00:00.123Z"),
                    DkimResult.PASS,
                    null)));
    String report =
        new String(
                ch.query(
                    "SELECT organization, report_id, date_start, date_end, length(report_key) AS k,"
                        + " contact_info, source, received_at, dkim, raw_sha256 = '"
                        + o.rawSha256()
                        + "' AS raw, policy_count, mail_from FROM "
                        + DB
                        + ".reports",
                    "JSONEachRow"),
                StandardCharsets.UTF_8)
            .trim();
    assertThat(report)
        .isEqualTo(
            "{\"organization\":\"Company-X\",\"report_id\":\"5065427c-23d3-47ca-b6e0-946ea0e8c4be\","
                + "\"date_start\":\"2016-04-01 00:00:00.000\",\"date_end\":\"2016-04-01 23:59:59.000\","
                + "\"k\":32,\"contact_info\":\"sts-reporting@company-x.example\",\"source\":\"smtp\","
                + "\"received_at\":\"2026-11-01 10:00:00.123\",\"dkim\":\"pass\",\"raw\":1,"
                + "\"policy_count\":1,\"mail_from\":\"tlsrpt@mail.sender.example\"}");
    String policy =
        new String(
                ch.query(
                    "SELECT policy_index, policy_type, policy_domain, mode, max_age, mx_patterns,"
                        + " length(policy_strings) AS strings, successful, failed FROM "
                        + DB
                        + ".policies",
                    "JSONEachRow"),
                StandardCharsets.UTF_8)
            .trim();
    assertThat(policy)
        .isEqualTo(
            "{\"policy_index\":0,\"policy_type\":\"sts\",\"policy_domain\":\"company-y.example\","
                + "\"mode\":\"testing\",\"max_age\":86400,\"mx_patterns\":[\"*.mail.company-y.example\"],"
                + "\"strings\":4,\"successful\":5326,\"failed\":303}");
    String failures =
        new String(
                ch.query(
                    "SELECT detail_index, result_type, sending_mta_ip, receiving_mx_hostname,"
                        + " receiving_mx_helo, receiving_ip, failed_session_count, failure_reason_code,"
                        + " additional_information FROM "
                        + DB
                        + ".failures ORDER BY detail_index"
                        + " SETTINGS output_format_json_escape_forward_slashes = 0",
                    "JSONEachRow"),
                StandardCharsets.UTF_8)
            .trim();
    assertThat(failures.lines().toList())
        .containsExactly(
            "{\"detail_index\":0,\"result_type\":\"certificate-expired\",\"sending_mta_ip\":\"2001:db8:abcd:12::1\","
                + "\"receiving_mx_hostname\":\"mx1.mail.company-y.example\",\"receiving_mx_helo\":null,"
                + "\"receiving_ip\":null,\"failed_session_count\":100,\"failure_reason_code\":null,"
                + "\"additional_information\":null}",
            "{\"detail_index\":1,\"result_type\":\"starttls-not-supported\",\"sending_mta_ip\":\"2001:db8:abcd:13::1\","
                + "\"receiving_mx_hostname\":\"mx2.mail.company-y.example\",\"receiving_mx_helo\":null,"
                + "\"receiving_ip\":\"203.0.113.56\",\"failed_session_count\":200,\"failure_reason_code\":null,"
                + "\"additional_information\":\"https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported\"}",
            "{\"detail_index\":2,\"result_type\":\"validation-failure\",\"sending_mta_ip\":\"198.51.100.62\","
                + "\"receiving_mx_hostname\":\"mx-backup.mail.company-y.example\",\"receiving_mx_helo\":null,"
                + "\"receiving_ip\":\"203.0.113.58\",\"failed_session_count\":3,"
                + "\"failure_reason_code\":\"X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED\",\"additional_information\":null}");
  }

  @Test
  default void aBatchThatFailedPartWayIsStoredWholeWhenRetried() {
    ClickHouse ch = engine();
    ReportStore store = new ReportStore(ch, DB);
    List<Incoming> batch = samples();
    // the rows get written, then the day marks fail (their table is gone for a moment)
    ch.execute("RENAME TABLE " + DB + ".summary_dirty TO " + DB + ".summary_dirty_away");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.store(batch))
        .isInstanceOf(org.tlsrpt.storage.engine.StorageException.class);
    ch.execute("RENAME TABLE " + DB + ".summary_dirty_away TO " + DB + ".summary_dirty");
    // nothing counts as done: the raw archive is written last
    assertThat(
            new String(
                    ch.query("SELECT count() FROM " + DB + ".raw_inputs", "TabSeparated"),
                    StandardCharsets.UTF_8)
                .trim())
        .isEqualTo("0");
    StoreResult retried = store.store(batch);
    assertThat(retried.rejected()).isEqualTo(2);
    long[] expected = sums(batch);
    Summaries.Summary s = new Summaries(ch, DB).summary(ALL_TIME, null, Summaries.By.ORG);
    assertThat(s.reports()).isEqualTo(expected[0]);
    assertThat(s.successful()).isEqualTo(expected[1]);
    assertThat(s.failed()).isEqualTo(expected[2]);
  }
}

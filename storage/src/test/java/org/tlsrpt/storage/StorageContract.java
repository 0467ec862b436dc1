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
              parser.parse(TestSamples.bytes(f)), "file", Instant.parse("2026-11-01T10:00:00Z")));
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
    assertThat(m.applied()).containsExactly(1);
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
        store.store(List.of(Incoming.of(byMail, "smtp", Instant.parse("2026-11-01T10:00:00Z"))));
    StoreResult second =
        store.store(List.of(Incoming.of(byHttps, "https", Instant.parse("2026-11-01T10:05:00Z"))));
    assertThat(first.accepted()).isEqualTo(1);
    assertThat(second.duplicates()).isEqualTo(1);
    Summaries.Summary s = new Summaries(ch, DB).summary(ALL_TIME, null, Summaries.By.ORG);
    assertThat(s.reports()).isEqualTo(1);
    assertThat(s.successful()).isEqualTo(5326);
    assertThat(s.failed()).isEqualTo(303);
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
                Incoming.of(rejected, "file", Instant.now()),
                Incoming.of(accepted, "https", Instant.now())));
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
    new ReportStore(ch, DB).store(List.of(Incoming.of(binary, "file", Instant.now())));
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
    return Incoming.of(o, "file", Instant.parse("2026-11-01T10:00:00Z"));
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
}

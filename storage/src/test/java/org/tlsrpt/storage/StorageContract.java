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
    String shown =
        new String(
            ch.query("SELECT code, message FROM " + DB + ".rejected_inputs", "TabSeparated"),
            StandardCharsets.UTF_8);
    assertThat(shown).startsWith("invalid_json\t").contains("not well-formed JSON");
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
}

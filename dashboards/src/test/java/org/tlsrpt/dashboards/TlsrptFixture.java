package org.tlsrpt.dashboards;

import static org.tlsrpt.dashboards.CraftedReport.detail;
import static org.tlsrpt.dashboards.CraftedReport.sts;
import static org.tlsrpt.dashboards.CraftedReport.tlsa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * A store with the real schema holding the public sample reports and the crafted reports below, all
 * written through the real parser and {@link ReportStore}, with the daily summary built.
 *
 * <p>The crafted data, around {@link #NOW} (2026-12-10 12:00 UTC), one report per reporter, day and
 * policy domain unless said otherwise, each received the next day:
 *
 * <ul>
 *   <li>{@value #RELIABLE} (smtp, DKIM pass, received 06:00), Dec 2 to Dec 9: {@value #SHOP} (sts
 *       enforce) 1000 successful and 2 failed (certificate-expired at mx1) a day, on Dec 9 900 and
 *       100 (60 certificate-expired at mx1, 40 starttls-not-supported at mx2); its policy's max_age
 *       changes from 86400 to 604800 on Dec 5. {@value #NEWS} (sts testing) 500 and 5
 *       (validation-failure), Dec 9 500 and 6. {@value #BULK} (sts testing) 980 and 20
 *       (certificate-host-mismatch), Dec 9 950 and 50. On Dec 9 only, {@value #TINY} (sts none) 10
 *       and 10 (starttls-not-supported).
 *   <li>{@value #DAILY} (imap, received 03:00), Nov 26 to Dec 7, one report with two policies:
 *       {@value #SHOP} 200 successful (still the old policy), {@value #DANE} (tlsa) 50. Nothing
 *       after Dec 8 03:00: an expected reporter gone silent.
 *   <li>{@value #SMITHS} (https, received 09:00), Dec 1 and Dec 5: {@value #NEWS} 100 successful;
 *       the Dec 5 report gives mx-host as a string (a warning).
 *   <li>{@value #LATE} (smtp), Dec 8, received Dec 9 06:00: {@value #SHOP} 7 failed,
 *       sts-policy-fetch-error without MX or IPs.
 *   <li>{@value #SPOOFED}: a report for Dec 9 quarantined at 11:45 on Dec 10 (DKIM failed).
 *   <li>Rejected inputs: one an hour for the 24 hours before 11:00 on Dec 10 (at half past,
 *       alternately not a report and invalid JSON), and 5 with invalid JSON in the last hour.
 * </ul>
 *
 * Then two reports are written again ({@link ReportStore#restore}, as {@code tlsrpt reprocess}
 * does) with merges stopped and the summary rebuilt. Reliable Mail's report for shop.example of Dec
 * 9 arrives a second time: the base tables hold its rows twice, which only FINAL collapses. Daily
 * Sender's report of Dec 3 was first stored with its DANE policy under the domain old-dane.example,
 * as if a parser bug had misread it, and is stored again as it should be: its summary group under
 * old-dane.example is only in the first build of Dec 3, so a query without the newest-build filter
 * still counts it.
 *
 * <p>Posture check runs ({@code posture_findings}, as tlsrpt serve writes them for check.domains):
 * {@value #SHOP} on Dec 9 06:00 (its mx1 certificate 5 days from expiry, a warning) and on Dec 10
 * 06:00, the newest run (mx1's certificate expired a day ago, a failure; mx2's 60 days left; the
 * policy host's certificate 9 days left, a warning; DNSSEC secure, but no TLSA record matches mx1,
 * a failure, and a DNSSEC signature a day from expiry, a warning); {@value #NEWS} on Dec 10 07:30
 * (mode testing, a warning; no STARTTLS at mx1, a failure, so its certificate was not checked);
 * {@value #BULK} on Dec 8 12:00, all fine (mx1's certificate 200 days left); {@value #TINY} on Nov
 * 20 only, before the range (the policy could not be fetched).
 */
final class TlsrptFixture implements AutoCloseable {
  static final String DB = "tlsrpt";
  static final Instant NOW = Instant.parse("2026-12-10T12:00:00Z");

  /** The range the dashboards are checked over: Nov 26 00:00 UTC to {@link #NOW}. */
  static final GrafanaSql.TimeRange RANGE =
      new GrafanaSql.TimeRange(Instant.parse("2026-11-26T00:00:00Z"), NOW, Duration.ofHours(1));

  /**
   * A range holding every public sample report and its arrival (2026-11-01), and no crafted one.
   */
  static final GrafanaSql.TimeRange SAMPLES_RANGE =
      new GrafanaSql.TimeRange(
          Instant.parse("2015-01-01T00:00:00Z"),
          Instant.parse("2026-11-02T00:00:00Z"),
          Duration.ofDays(1));

  static final Instant SAMPLES_RECEIVED = Instant.parse("2026-11-01T10:00:00Z");

  static final String RELIABLE = "Reliable Mail";
  static final String DAILY = "Daily Sender";
  static final String SMITHS = "Smith's Mail";
  static final String LATE = "Late Enforcer";
  static final String SPOOFED = "Spoofed Sender";

  static final String SHOP = "shop.example";
  static final String NEWS = "news.example";
  static final String BULK = "bulk.example";
  static final String TINY = "tiny.example";
  static final String DANE = "dane.example";

  private final EmbeddedClickHouse ch;
  private final List<Incoming> samples;

  private TlsrptFixture(EmbeddedClickHouse ch, List<Incoming> samples) {
    this.ch = ch;
    this.samples = samples;
  }

  static TlsrptFixture open(Path dir) {
    EmbeddedClickHouse ch = EmbeddedClickHouse.open(RepoPaths.chdbLibrary(), dir.resolve("data"));
    try {
      new Migrations(ch, SchemaOptions.local(DB)).apply();
      ReportParser parser = new ReportParser();
      List<Incoming> samples = samples(parser);
      ReportStore store = new ReportStore(ch, DB);
      store.store(samples);
      store.store(crafted(parser));
      Summaries summaries = new Summaries(ch, DB);
      summaries.refresh();
      // Rewrite two reports as tlsrpt reprocess does: duplicate rows in the base tables, and a
      // second summary build of their days.
      ch.execute("SYSTEM STOP MERGES");
      store.restore(
          List.of(
              received(parser, reliable(LocalDate.parse("2026-12-09")).get(0), Source.HTTPS, NOW),
              // the same arrival time, hence the same row version: the rows written last win
              received(
                  parser, daily(MISREAD_DAY), Source.IMAP, at(MISREAD_DAY.plusDays(1), 3, 0))));
      summaries.refresh();
      postureRuns(ch);
      // Grafana's data source names tlsrpt as its default database; the queries name no database.
      ch.execute("USE " + DB);
      return new TlsrptFixture(ch, samples);
    } catch (RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The posture check runs described above. */
  private static void postureRuns(EmbeddedClickHouse ch) {
    String shop9 = "'2026-12-09 06:00:00.000', '" + SHOP + "', ";
    String shop10 = "'2026-12-10 06:00:00.000', '" + SHOP + "', ";
    String news = "'2026-12-10 07:30:00.000', '" + NEWS + "', ";
    String bulk = "'2026-12-08 12:00:00.000', '" + BULK + "', ";
    String newsPolicy = "'https://mta-sts." + NEWS + "/.well-known/mta-sts.txt'";
    ch.execute(
        "INSERT INTO "
            + DB
            + ".posture_findings (checked_at, domain, finding, status, subject, message, remedy,"
            + " facts) VALUES ("
            + shop9
            + "'dns.mta_sts_txt', 'OK', '_mta-sts.shop.example', 'one STSv1 record', '',"
            + " {'policy_id': '20261201'}), ("
            + shop9
            + "'mx.certificate_expiry', 'WARN', 'mx1.shop.example', 'expires in 5 days',"
            + " 'renew the certificate', {'days_to_expiry': '5', 'not_after':"
            + " '2026-12-14T00:00:00Z'}), ("
            + shop10
            + "'dns.mta_sts_txt', 'OK', '_mta-sts.shop.example', 'one STSv1 record', '',"
            + " {'policy_id': '20261201'}), ("
            + shop10
            + "'mx.certificate_expiry', 'FAIL', 'mx1.shop.example', 'expired 1 day ago',"
            + " 'renew the certificate now', {'days_to_expiry': '-1', 'not_after':"
            + " '2026-12-09T00:00:00Z'}), ("
            + shop10
            + "'mx.certificate_expiry', 'OK', 'mx2.shop.example', 'valid for 60 days', '',"
            + " {'days_to_expiry': '60', 'not_after': '2027-02-08T00:00:00Z'}), ("
            + shop10
            + "'policy.certificate_expiry', 'WARN', 'mta-sts.shop.example', 'expires in 9 days',"
            + " 'renew the certificate', {'days_to_expiry': '9', 'not_after':"
            + " '2026-12-19T00:00:00Z'}), ("
            + shop10
            + "'dane.dnssec', 'OK', 'shop.example', 'secure: MX records validate', '',"
            + " {'security': 'secure'}), ("
            + shop10
            + "'dane.tlsa_match', 'FAIL', 'mx1.shop.example', 'no TLSA record matches',"
            + " 'publish a record for the certificate in use', {}), ("
            + shop10
            + "'dane.signature_expiry', 'WARN', 'shop.example', 'the earliest signature expires in"
            + " 1 days', 're-sign the zone', {'days_to_expiry': '1', 'expires':"
            + " '2026-12-11T06:00:00Z'}), ("
            + news
            + "'policy.mode', 'WARN', "
            + newsPolicy
            + ", 'mode testing', 'set mode: enforce', {'mode': 'testing'}), ("
            + news
            + "'mx.starttls', 'FAIL', 'mx1.news.example', 'STARTTLS not offered',"
            + " 'enable STARTTLS', {}), ("
            + news
            + "'mx.certificate_expiry', 'NOT_CHECKED', 'mx1.news.example',"
            + " 'no TLS handshake', '', {}), ("
            + bulk
            + "'dns.mta_sts_txt', 'OK', '_mta-sts.bulk.example', 'one STSv1 record', '',"
            + " {'policy_id': '1'}), ("
            + bulk
            + "'mx.certificate_expiry', 'OK', 'mx1.bulk.example', 'valid for 200 days', '',"
            + " {'days_to_expiry': '200', 'not_after': '2027-06-26T00:00:00Z'}),"
            + " ('2026-11-20 06:00:00.000', '"
            + TINY
            + "', 'policy.fetch', 'FAIL', 'https://mta-sts.tiny.example/.well-known/mta-sts.txt',"
            + " 'HTTP 404', 'publish the policy', {'http_status': '404'})");
  }

  /** The public samples as parsed, received by file import. */
  List<Incoming> samples() {
    return samples;
  }

  QueryRows query(String sql) {
    return QueryRows.parse(sql, ch.query(sql, QueryRows.FORMAT));
  }

  @Override
  public void close() {
    ch.close();
  }

  private static List<Incoming> samples(ReportParser parser) {
    List<Incoming> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(RepoPaths.samples())) {
      for (Path f : files.sorted().toList()) {
        out.add(Incoming.of(parser.parse(Files.readAllBytes(f)), Source.FILE, SAMPLES_RECEIVED));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static List<Incoming> crafted(ReportParser parser) {
    List<Incoming> in = new ArrayList<>();
    for (LocalDate d = LocalDate.parse("2026-12-02");
        !d.isAfter(LocalDate.parse("2026-12-09"));
        d = d.plusDays(1)) {
      for (CraftedReport r : reliable(d)) {
        in.add(
            new Incoming(
                parser.parse(r.json()),
                Source.SMTP,
                at(d.plusDays(1), 6, 0),
                DkimResult.PASS,
                null));
      }
    }
    for (LocalDate d = LocalDate.parse("2026-11-26");
        !d.isAfter(LocalDate.parse("2026-12-07"));
        d = d.plusDays(1)) {
      CraftedReport r = d.equals(MISREAD_DAY) ? misread(daily(d)) : daily(d);
      in.add(received(parser, r, Source.IMAP, at(d.plusDays(1), 3, 0)));
    }
    for (LocalDate d : List.of(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-05"))) {
      CraftedReport.Policy news = sts(NEWS, "testing", 86400, 100, 0);
      CraftedReport r =
          new CraftedReport(
              SMITHS,
              "tlsrpt@smiths.example",
              d,
              List.of(d.getDayOfMonth() == 5 ? news.asStringMxHost() : news));
      in.add(received(parser, r, Source.HTTPS, at(d.plusDays(1), 9, 0)));
    }
    in.add(
        received(
            parser,
            new CraftedReport(
                LATE,
                "tlsrpt@late.example",
                LocalDate.parse("2026-12-08"),
                List.of(
                    sts(
                        SHOP,
                        "enforce",
                        604800,
                        0,
                        7,
                        detail("sts-policy-fetch-error", null, null, null, 7, null)))),
            Source.SMTP,
            at(LocalDate.parse("2026-12-09"), 6, 0)));
    CraftedReport spoofed =
        new CraftedReport(
            SPOOFED,
            "tlsrpt@spoofed.example",
            LocalDate.parse("2026-12-09"),
            List.of(sts(SHOP, "enforce", 604800, 5000, 0)));
    in.add(
        new Incoming(
            parser.parse(spoofed.json()),
            Source.SMTP,
            NOW.minus(Duration.ofMinutes(15)),
            DkimResult.FAIL,
            "DKIM signature did not verify"));
    for (int k = 1; k <= 24; k++) {
      String body =
          k % 2 == 1 ? "this is no report, number " + k : "{\"organization-name\": \"broken " + k;
      in.add(rejected(parser, body, Source.HTTPS, NOW.minus(Duration.ofMinutes(60L * k + 30))));
    }
    for (int j = 1; j <= 5; j++) {
      in.add(
          rejected(
              parser, "{\"report-id\": \"cut short " + j, Source.SMTP, NOW.minusSeconds(600L * j)));
    }
    return in;
  }

  /** Reliable Mail's reports of one day (Dec 2 to Dec 9). */
  static List<CraftedReport> reliable(LocalDate d) {
    boolean last = d.equals(LocalDate.parse("2026-12-09"));
    long maxAge = d.isBefore(LocalDate.parse("2026-12-05")) ? 86400 : 604800;
    String x509 = "X509_V_ERR_CERT_HAS_EXPIRED";
    CraftedReport.Policy shop =
        last
            ? sts(
                SHOP,
                "enforce",
                maxAge,
                900,
                100,
                detail(
                    "certificate-expired", "192.0.2.10", "mx1." + SHOP, "198.51.100.1", 60, x509),
                detail(
                    "starttls-not-supported",
                    "192.0.2.11",
                    "mx2." + SHOP,
                    "198.51.100.2",
                    40,
                    null))
            : sts(
                SHOP,
                "enforce",
                maxAge,
                1000,
                2,
                detail(
                    "certificate-expired", "192.0.2.10", "mx1." + SHOP, "198.51.100.1", 2, x509));
    long newsFailed = last ? 6 : 5;
    CraftedReport.Policy news =
        sts(
            NEWS,
            "testing",
            86400,
            500,
            newsFailed,
            detail(
                "validation-failure",
                "192.0.2.10",
                "mx1." + NEWS,
                "198.51.100.20",
                newsFailed,
                null));
    long bulkFailed = last ? 50 : 20;
    CraftedReport.Policy bulk =
        sts(
            BULK,
            "testing",
            86400,
            last ? 950 : 980,
            bulkFailed,
            detail(
                "certificate-host-mismatch",
                "192.0.2.12",
                "mx1." + BULK,
                "198.51.100.30",
                bulkFailed,
                null));
    List<CraftedReport> out = new ArrayList<>();
    String contact = "tlsrpt@reliable.example";
    out.add(new CraftedReport(RELIABLE, contact, d, List.of(shop)));
    out.add(new CraftedReport(RELIABLE, contact, d, List.of(news)));
    out.add(new CraftedReport(RELIABLE, contact, d, List.of(bulk)));
    if (last) {
      out.add(
          new CraftedReport(
              RELIABLE,
              contact,
              d,
              List.of(
                  sts(
                      TINY,
                      "none",
                      86400,
                      10,
                      10,
                      detail(
                          "starttls-not-supported",
                          "192.0.2.10",
                          "mx1." + TINY,
                          "198.51.100.40",
                          10,
                          null)))));
    }
    return out;
  }

  /** The day of Daily Sender's report that is first stored misread, then again as sent. */
  private static final LocalDate MISREAD_DAY = LocalDate.parse("2026-12-03");

  /** The report with its DANE policy under another domain. */
  private static CraftedReport misread(CraftedReport r) {
    CraftedReport.Policy dane = r.policies().get(1);
    return new CraftedReport(
        r.organization(),
        r.contact(),
        r.day(),
        List.of(
            r.policies().get(0), tlsa("old-" + dane.domain(), dane.successful(), dane.failed())));
  }

  /** Daily Sender's report of one day: two policies, nothing failed. */
  static CraftedReport daily(LocalDate d) {
    return new CraftedReport(
        DAILY,
        "tlsrpt@daily.example",
        d,
        List.of(sts(SHOP, "enforce", 86400, 200, 0), tlsa(DANE, 50, 0)));
  }

  private static Incoming received(
      ReportParser parser, CraftedReport r, Source source, Instant receivedAt) {
    ParseOutcome o = parser.parse(r.json());
    if (!(o instanceof ParseOutcome.Parsed)) {
      throw new IllegalStateException("a crafted report did not parse: " + o);
    }
    return new Incoming(o, source, receivedAt, DkimResult.NOT_CHECKED, null);
  }

  private static Incoming rejected(
      ReportParser parser, String body, Source source, Instant receivedAt) {
    ParseOutcome o = parser.parse(body.getBytes(StandardCharsets.UTF_8));
    if (!(o instanceof ParseOutcome.Rejected)) {
      throw new IllegalStateException("a broken input was accepted: " + body);
    }
    return Incoming.of(o, source, receivedAt);
  }

  private static Instant at(LocalDate day, int hour, int minute) {
    return day.atTime(LocalTime.of(hour, minute)).toInstant(ZoneOffset.UTC);
  }
}

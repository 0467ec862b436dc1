package org.tlsrpt.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.Source;

/**
 * The load of {@code bench summary}: TLS-RPT JSON reports with many failure details each, parsed by
 * the real parser and re-delivered now and then, as reporters do. Report {@code i} comes from one
 * of 500 organizations about one of 2,000 policy domains (mode enforce, testing or none) on one of
 * 300 days from 2026-01-01; each of its {@code details} failure details is a distinct (result type,
 * sending IP, MX host) with one failed session.
 */
final class FailureReports {
  static final LocalDate FIRST_DAY = LocalDate.parse("2026-01-01");
  private static final String[] MODES = {"enforce", "testing", "none"};
  private static final String[] RESULTS = {
    "certificate-expired", "starttls-not-supported", "validation-failure", "sts-policy-fetch-error"
  };

  private final ReportParser parser = new ReportParser();
  private final int details;
  private final Instant receivedAt = Instant.now();

  FailureReports(int details) {
    this.details = details;
  }

  /** Report {@code i}; {@code padding} spaces at its end make other bytes of the same report. */
  Incoming report(long i, int padding) {
    return Incoming.of(parser.parse(json(i, padding)), Source.FILE, receivedAt);
  }

  /** The successful sessions report {@code i} states. */
  static long successful(long i) {
    return i % 1000;
  }

  /**
   * Reports {@code from} (inclusive) to {@code to}, then every {@code everyNth} report of the batch
   * before ({@code againFrom} to {@code againTo}) again: a re-delivery comes in a later write than
   * the first delivery, so the writer finds it in the store, not in the batch.
   */
  List<Incoming> batch(long from, long to, long againFrom, long againTo, int everyNth) {
    List<Incoming> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      out.add(report(i, 0));
    }
    if (everyNth > 0) {
      for (long i = againFrom; i < againTo; i++) {
        if (i % everyNth == 0) {
          // half the re-deliveries are the same bytes, half the same report in other bytes
          out.add(report(i, (i / everyNth) % 2 == 0 ? 0 : 1));
        }
      }
    }
    return out;
  }

  private byte[] json(long i, int padding) {
    String org = "org-" + (i % 500);
    String domain = "domain-" + (i % 2000) + ".example";
    String mode = MODES[(int) (i % 3)];
    LocalDate day = FIRST_DAY.plusDays(i % 300);
    StringBuilder b = new StringBuilder(200 + details * 150);
    b.append("{\"organization-name\":\"")
        .append(org)
        .append("\",\"date-range\":{\"start-datetime\":\"")
        .append(day)
        .append("T00:00:00Z\",\"end-datetime\":\"")
        .append(day)
        .append("T23:59:59Z\"},\"contact-info\":\"tlsrpt@")
        .append(org)
        .append(".example\",\"report-id\":\"bench-")
        .append(i)
        .append("\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[")
        .append("\"version: STSv1\",\"mode: ")
        .append(mode)
        .append("\",\"mx: *.")
        .append(domain)
        .append("\",\"max_age: 86400\"],\"policy-domain\":\"")
        .append(domain)
        .append("\",\"mx-host\":[\"*.")
        .append(domain)
        .append("\"]},\"summary\":{\"total-successful-session-count\":")
        .append(successful(i))
        .append(",\"total-failure-session-count\":")
        .append(details)
        .append("},\"failure-details\":[");
    for (int d = 0; d < details; d++) {
      b.append(d == 0 ? "" : ",")
          .append("{\"result-type\":\"")
          .append(RESULTS[d % RESULTS.length])
          .append("\",\"sending-mta-ip\":\"198.51.")
          .append((d / 250) % 250)
          .append('.')
          .append(d % 250)
          .append("\",\"receiving-mx-hostname\":\"mx")
          .append(d % 3)
          .append('.')
          .append(domain)
          .append("\",\"failed-session-count\":1}");
    }
    b.append("]}]}");
    b.repeat(' ', padding);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}

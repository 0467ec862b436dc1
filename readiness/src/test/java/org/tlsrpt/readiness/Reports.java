package org.tlsrpt.readiness;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.Source;

/** TLS reports written out for the tests, parsed as tlsrpt parses an HTTPS body. */
final class Reports {
  private static final ReportParser PARSER = new ReportParser();

  private Reports() {}

  /** One organization's report of one day (UTC) on one sts policy domain. */
  static Incoming report(
      String org, LocalDate day, String domain, String mode, long ok, String... failures) {
    long failed = 0;
    for (String f : failures) {
      failed += Long.parseLong(f.replaceAll(".*\"failed-session-count\":(\\d+).*", "$1"));
    }
    String json =
        "{\"organization-name\":\""
            + org
            + "\",\"date-range\":{\"start-datetime\":\""
            + day
            + "T00:00:00Z\",\"end-datetime\":\""
            + day
            + "T23:59:59Z\"},\"contact-info\":\"tlsrpt@reporter.example\",\"report-id\":\""
            + org
            + "-"
            + domain
            + "-"
            + day
            + "\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":"
            + "[\"version: STSv1\",\"mode: "
            + mode
            + "\",\"mx: *."
            + domain
            + "\",\"max_age: 86400\"],\"policy-domain\":\""
            + domain
            + "\"},\"summary\":{\"total-successful-session-count\":"
            + ok
            + ",\"total-failure-session-count\":"
            + failed
            + "}"
            + (failures.length == 0
                ? ""
                : ",\"failure-details\":[" + String.join(",", failures) + "]")
            + "}]}";
    return Incoming.of(
        PARSER.parseHttpBody(json.getBytes(StandardCharsets.UTF_8), "application/tlsrpt+json"),
        Source.HTTPS,
        day.plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC));
  }

  /** A failure detail; {@code info} is its additional-information, or null. */
  static String failure(String resultType, String mx, long sessions, String info) {
    return "{\"result-type\":\""
        + resultType
        + "\",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":\""
        + mx
        + "\",\"failed-session-count\":"
        + sessions
        + (info == null ? "" : ",\"additional-information\":\"" + info + "\"")
        + "}";
  }
}

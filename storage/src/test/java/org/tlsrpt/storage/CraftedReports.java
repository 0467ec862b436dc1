package org.tlsrpt.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.tlsrpt.parser.ReportParser;

/** TLS reports written out for tests, parsed as tlsrpt parses an HTTPS body. */
final class CraftedReports {
  private static final ReportParser PARSER = new ReportParser();

  private CraftedReports() {}

  /** A report of one day (UTC) with the given policies. */
  static String report(String org, String id, LocalDate day, String... policies) {
    return "{\"organization-name\":"
        + json(org)
        + ",\"date-range\":{\"start-datetime\":\""
        + day
        + "T00:00:00Z\",\"end-datetime\":\""
        + day
        + "T23:59:59Z\"},\"contact-info\":\"tlsrpt@reporter.example\",\"report-id\":"
        + json(id)
        + ",\"policies\":["
        + String.join(",", policies)
        + "]}";
  }

  /** An sts policy in {@code mode}; its failures from {@link #failure}. */
  static String sts(String domain, String mode, long ok, String... failures) {
    return policy(
        "\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: "
            + mode
            + "\",\"mx: *."
            + domain
            + "\",\"max_age: 86400\"]",
        domain,
        ok,
        failures);
  }

  /** A tlsa (DANE) policy. */
  static String tlsa(String domain, long ok, String... failures) {
    return policy("\"tlsa\"", domain, ok, failures);
  }

  private static String policy(String type, String domain, long ok, String... failures) {
    long failed = 0;
    for (String f : failures) {
      failed += Long.parseLong(f.replaceAll(".*\"failed-session-count\":(\\d+).*", "$1"));
    }
    return "{\"policy\":{\"policy-type\":"
        + type
        + ",\"policy-domain\":"
        + json(domain)
        + "},\"summary\":{\"total-successful-session-count\":"
        + ok
        + ",\"total-failure-session-count\":"
        + failed
        + "}"
        + (failures.length == 0 ? "" : ",\"failure-details\":[" + String.join(",", failures) + "]")
        + "}";
  }

  static String failure(String resultType, String mx, long sessions) {
    return "{\"result-type\":"
        + json(resultType)
        + ",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":"
        + json(mx)
        + ",\"failed-session-count\":"
        + sessions
        + "}";
  }

  /** The report as an accepted input arriving at {@code at}. */
  static Incoming incoming(String json, Instant at) {
    return new Incoming(
        PARSER.parseHttpBody(json.getBytes(StandardCharsets.UTF_8), "application/tlsrpt+json"),
        Source.HTTPS,
        at,
        DkimResult.UNAUTHENTICATED,
        null);
  }

  /** An input that is not a report, rejected, arriving at {@code at}. */
  static Incoming rejected(Instant at) {
    return incoming("{\"broken\": \"" + at + "\"}", at);
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}

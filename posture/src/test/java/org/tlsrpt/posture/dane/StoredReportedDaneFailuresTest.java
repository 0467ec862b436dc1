package org.tlsrpt.posture.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import org.tlsrpt.testkit.EmbeddedEngine;

/** {@link StoredReportedDaneFailures} on the embedded store, with reports stored as import does. */
class StoredReportedDaneFailuresTest {

  private static String report(String org, String id, String policy, Instant end) {
    return "{\"organization-name\":\""
        + org
        + "\",\"date-range\":{\"start-datetime\":\""
        + end.minus(Duration.ofDays(1))
        + "\",\"end-datetime\":\""
        + end
        + "\"},\"contact-info\":\"tls@sender.test\",\"report-id\":\""
        + id
        + "\",\"policies\":["
        + policy
        + "]}";
  }

  private static String tlsa(String mx, String type, int sessions) {
    return "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"3 1 1 ab\"],"
        + "\"policy-domain\":\""
        + mx
        + "\"},\"summary\":{\"total-successful-session-count\":1,"
        + "\"total-failure-session-count\":"
        + sessions
        + "},\"failure-details\":[{\"result-type\":\""
        + type
        + "\",\"receiving-mx-hostname\":\""
        + mx
        + "\",\"failed-session-count\":"
        + sessions
        + "}]}";
  }

  @Test
  void sumsTheDaneFailuresReportedForTheDomainsMxHostsInTheWindow(@TempDir Path dir)
      throws Exception {
    Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS);
    List<String> reports =
        List.of(
            report("Big Sender", "r1", tlsa("mx1.x.test", "tlsa-invalid", 5), end),
            report(
                "Big Sender",
                "r2",
                tlsa("mx1.x.test", "tlsa-invalid", 7),
                end.minus(Duration.ofDays(2))),
            report(
                "Big Sender",
                "r3",
                tlsa("mx1.x.test", "tlsa-invalid", 100),
                end.minus(Duration.ofDays(45))),
            report("Other", "r4", tlsa("mx2.x.test", "dnssec-invalid", 2), end),
            report(
                "Other",
                "r5",
                tlsa("mx2.x.test", "certificate-expired", 9),
                end.minus(Duration.ofDays(1))),
            report("Other", "r6", tlsa("mx.elsewhere.test", "tlsa-invalid", 4), end));
    try (EmbeddedClickHouse ch =
        EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("store"))) {
      new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
      ReportParser parser = new ReportParser();
      List<Incoming> inputs = new java.util.ArrayList<>();
      for (String r : reports) {
        inputs.add(
            Incoming.of(
                parser.parse(r.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                org.tlsrpt.storage.Source.FILE,
                Instant.now()));
      }
      new ReportStore(ch, "tlsrpt").store(inputs);

      List<ReportedDaneFailures.Reported> got =
          new StoredReportedDaneFailures(ch, "tlsrpt")
              .since("x.test", List.of("mx1.x.test", "mx2.x.test"), end.minus(Duration.ofDays(30)));

      assertThat(got)
          .containsExactly(
              new ReportedDaneFailures.Reported(
                  "Big Sender", "tlsa-invalid", "mx1.x.test", 12, end),
              new ReportedDaneFailures.Reported("Other", "dnssec-invalid", "mx2.x.test", 2, end));
    }
  }
}

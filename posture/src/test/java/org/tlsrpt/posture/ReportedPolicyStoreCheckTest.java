package org.tlsrpt.posture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
import org.tlsrpt.storage.Source;
import org.tlsrpt.storage.engine.EmbeddedClickHouse;
import org.tlsrpt.storage.schema.Migrations;
import org.tlsrpt.storage.schema.SchemaOptions;
import org.tlsrpt.testkit.EmbeddedEngine;

/**
 * {@link StoredReportedPolicies} on the embedded store, with reports parsed and stored as {@code
 * tlsrpt import} does, and the cross-check's verdict on what it returns.
 */
class ReportedPolicyStoreCheckTest {
  static final List<String> CURRENT =
      List.of("version: STSv1", "mode: enforce", "mx: *.good.test", "max_age: 604800");
  static final List<String> OLD =
      List.of("version: STSv1", "mode: testing", "mx: *.good.test", "max_age: 86400");

  private static String report(
      String org, String id, String domain, Instant end, List<String> policy) {
    StringBuilder strings = new StringBuilder();
    for (String line : policy) {
      strings.append(strings.isEmpty() ? "" : ",").append('"').append(line).append('"');
    }
    return "{\"organization-name\":\""
        + org
        + "\",\"date-range\":{\"start-datetime\":\""
        + end.minus(Duration.ofDays(1))
        + "\",\"end-datetime\":\""
        + end
        + "\"},\"contact-info\":\"tls@sender.test\",\"report-id\":\""
        + id
        + "\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":["
        + strings
        + "],\"policy-domain\":\""
        + domain
        + "\",\"mx-host\":[\"*.good.test\"]},"
        + "\"summary\":{\"total-successful-session-count\":10,"
        + "\"total-failure-session-count\":0}}]}";
  }

  @Test
  void findsEachSendersLatestPolicyOfTheLast30DaysAndWarnsAboutAStaleOne(@TempDir Path dir)
      throws Exception {
    Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Path reports = Files.createDirectories(dir.resolve("reports"));
    Files.writeString(
        reports.resolve("1.json"), report("Current Sender", "r1", "good.test", end, CURRENT));
    Files.writeString(
        reports.resolve("0.json"),
        report("Current Sender", "r0", "good.test", end.minus(Duration.ofDays(3)), OLD));
    Files.writeString(
        reports.resolve("2.json"), report("Stale Sender", "r2", "good.test", end, OLD));
    Files.writeString(
        reports.resolve("3.json"),
        report("Gone Sender", "r3", "good.test", end.minus(Duration.ofDays(40)), OLD));
    Files.writeString(
        reports.resolve("4.json"), report("Other Domain", "r4", "other.test", end, OLD));
    try (EmbeddedClickHouse ch =
        EmbeddedClickHouse.open(EmbeddedEngine.library(), dir.resolve("store"))) {
      new Migrations(ch, SchemaOptions.local("tlsrpt")).apply();
      ReportParser parser = new ReportParser();
      List<Incoming> inputs = new java.util.ArrayList<>();
      try (var files = Files.list(reports)) {
        for (Path f : files.sorted().toList()) {
          inputs.add(Incoming.of(parser.parse(Files.readAllBytes(f)), Source.FILE, Instant.now()));
        }
      }
      new ReportStore(ch, "tlsrpt").store(inputs);
      List<ReportedPolicies.Reported> latest =
          new StoredReportedPolicies(ch, "tlsrpt")
              .latest("good.test", end.minus(PostureChecker.REPORT_WINDOW));

      assertThat(latest)
          .extracting(ReportedPolicies.Reported::organization)
          .containsExactly("Current Sender", "Stale Sender");
      assertThat(latest.getFirst().policyStrings()).isEqualTo(CURRENT);
      assertThat(latest.getFirst().dateEnd()).isEqualTo(end);

      StsPolicy policy = new StsPolicy("enforce", 604800, List.of("*.good.test"), CURRENT);
      Finding f = CrossChecks.reportedPolicy("reports on good.test", policy, latest);
      assertThat(f.status()).isEqualTo(Status.WARN);
      assertThat(f.facts()).containsEntry("other_policy", "Stale Sender");
    }
  }
}

package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.tlsrpt.dashboards.Expect.cols;
import static org.tlsrpt.dashboards.Expect.point;
import static org.tlsrpt.dashboards.Expect.row;
import static org.tlsrpt.dashboards.Expect.rows;
import static org.tlsrpt.dashboards.Expect.single;
import static org.tlsrpt.dashboards.Expect.sum;
import static org.tlsrpt.dashboards.PanelFigures.DEC8;
import static org.tlsrpt.dashboards.PanelFigures.DEC9;
import static org.tlsrpt.dashboards.PanelFigures.FAILED;
import static org.tlsrpt.dashboards.TlsrptFixture.BULK;
import static org.tlsrpt.dashboards.TlsrptFixture.DAILY;
import static org.tlsrpt.dashboards.TlsrptFixture.DANE;
import static org.tlsrpt.dashboards.TlsrptFixture.LATE;
import static org.tlsrpt.dashboards.TlsrptFixture.NEWS;
import static org.tlsrpt.dashboards.TlsrptFixture.RELIABLE;
import static org.tlsrpt.dashboards.TlsrptFixture.SHOP;
import static org.tlsrpt.dashboards.TlsrptFixture.SMITHS;
import static org.tlsrpt.dashboards.TlsrptFixture.TINY;

import java.util.TreeSet;

/**
 * What the summary dashboards (overview, organizations, domains and MX hosts) show over the
 * fixture.
 */
final class SummaryPanelFigures {
  private SummaryPanelFigures() {}

  static void addTo(PanelFigures f) {
    overview(f);
    organizations(f);
    domains(f);
  }

  private static void overview(PanelFigures f) {
    String uid = "tlsrpt-overview";
    f.expect(
        uid,
        "Successful sessions",
        r -> assertThat(single(r, "Successful sessions")).isEqualByComparingTo("22920"));
    f.expect(
        uid, "Failed sessions", r -> assertThat(single(r, FAILED)).isEqualByComparingTo("362"));
    f.expect(
        uid,
        "Failure rate",
        r ->
            assertThat(single(r, "Failure rate").doubleValue())
                .isCloseTo(362.0 / 23282, within(1e-12)));
    f.expect(uid, "Reports", r -> assertThat(single(r, "Reports")).isEqualByComparingTo("52"));
    f.expect(
        uid,
        "Sessions per day",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(14);
          assertThat(point(r, "time", "2026-11-26 00:00:00").lng("Successful")).isEqualTo(250);
          assertThat(point(r, "time", "2026-12-01 00:00:00").lng("Successful")).isEqualTo(350);
          assertThat(point(r, "time", DEC8).lng("Failed")).isEqualTo(34);
          assertThat(point(r, "time", DEC9).lng("Successful")).isEqualTo(2360);
          assertThat(point(r, "time", DEC9).lng("Failed")).isEqualTo(166);
          assertThat(sum(r, "Successful")).isEqualTo(22920);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
    f.expect(
        uid,
        "Failure rate per day",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(14);
          assertThat(point(r, "time", DEC9).dbl("Failure rate"))
              .isCloseTo(166.0 / 2526, within(1e-12));
          assertThat(point(r, "time", DEC8).dbl("Failure rate"))
              .isCloseTo(34.0 / 2514, within(1e-12));
          assertThat(point(r, "time", "2026-11-26 00:00:00").dbl("Failure rate")).isZero();
        });
    f.expect(
        uid,
        "Failed sessions by policy type and mode",
        r -> {
          assertThat(new TreeSet<>(r.column("policy")))
              .containsExactly("sts / enforce", "sts / none", "sts / testing", "tlsa / n/a");
          assertThat(point(r, "time", DEC9, "policy", "sts / enforce").lng("Failed"))
              .isEqualTo(100);
          assertThat(point(r, "time", DEC8, "policy", "sts / enforce").lng("Failed")).isEqualTo(9);
          assertThat(point(r, "time", DEC9, "policy", "sts / testing").lng("Failed")).isEqualTo(56);
          assertThat(point(r, "time", DEC9, "policy", "sts / none").lng("Failed")).isEqualTo(10);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
    f.expect(
        uid,
        "Failure rate by policy type and mode",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(36);
          assertThat(point(r, "time", DEC9, "policy", "sts / enforce").dbl("Failure rate"))
              .isCloseTo(0.1, within(1e-12));
          assertThat(point(r, "time", DEC9, "policy", "sts / none").dbl("Failure rate"))
              .isCloseTo(0.5, within(1e-12));
          assertThat(
                  point(r, "time", "2026-12-02 00:00:00", "policy", "sts / testing")
                      .dbl("Failure rate"))
              .isCloseTo(25.0 / 1505, within(1e-12));
          // Daily Sender, the only DANE reporter, sent nothing for Dec 9: no point, not a zero
          assertThat(r.all())
              .noneMatch(x -> DEC9.equals(x.text("time")) && "tlsa / n/a".equals(x.text("policy")));
        });
    f.expect(
        uid,
        "By policy type and mode",
        r ->
            rows(
                r,
                cols(
                    "Policy type",
                    "Mode",
                    "Policy domains",
                    "Successful sessions",
                    FAILED,
                    "Failure rate"),
                row("sts", "testing", 2, 12010, 231, 231.0 / 12241),
                row("sts", "enforce", 1, 10300, 121, 121.0 / 10421),
                row("sts", "none", 1, 10, 10, 0.5),
                row("tlsa", "n/a", 1, 600, 0, 0.0)));
    f.expect(
        uid,
        "Failed sessions by result type",
        r ->
            rows(
                r,
                cols("Result type", FAILED, "Reports"),
                row("certificate-host-mismatch", 190, 8),
                row("certificate-expired", 74, 8),
                row("starttls-not-supported", 50, 2),
                row("validation-failure", 41, 8),
                row("sts-policy-fetch-error", 7, 1)));
    f.expect(
        uid,
        "Policy domains with the most failed sessions",
        r ->
            rows(
                r,
                cols("Policy domain", "Modes", "Successful sessions", FAILED, "Failure rate"),
                row(BULK, "testing", 7810, 190, 0.02375),
                row(SHOP, "enforce", 10300, 121, 121.0 / 10421),
                row(NEWS, "testing", 4200, 41, 41.0 / 4241),
                row(TINY, "none", 10, 10, 0.5),
                row(DANE, "n/a", 600, 0, 0.0)));
  }

  private static void organizations(PanelFigures f) {
    String uid = "tlsrpt-organizations";
    f.expect(
        uid,
        "Sending organizations",
        r ->
            rows(
                r,
                cols(
                    "Organization",
                    "Modes",
                    "Policy domains",
                    "Reports",
                    "Successful sessions",
                    FAILED,
                    "Failure rate"),
                row(RELIABLE, "enforce, none, testing", 4, 25, 19720, 355, 355.0 / 20075),
                row(LATE, "enforce", 1, 1, 0, 7, 1.0),
                row(DAILY, "enforce, n/a", 2, 24, 3000, 0, 0.0),
                row(SMITHS, "testing", 1, 2, 200, 0, 0.0)));
    f.expect(
        uid,
        "Failed sessions per organization",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(23);
          assertThat(point(r, "time", DEC9, "organization", RELIABLE).lng("Failed")).isEqualTo(166);
          assertThat(point(r, "time", DEC8, "organization", LATE).lng("Failed")).isEqualTo(7);
          assertThat(
                  point(r, "time", "2026-12-02 00:00:00", "organization", RELIABLE).lng("Failed"))
              .isEqualTo(27);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
    f.expect(
        uid,
        "Failure rate per organization",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(23);
          assertThat(point(r, "time", DEC9, "organization", RELIABLE).dbl("Failure rate"))
              .isCloseTo(166.0 / 2526, within(1e-12));
          assertThat(point(r, "time", DEC8, "organization", LATE).dbl("Failure rate"))
              .isCloseTo(1.0, within(1e-12));
          assertThat(point(r, "time", DEC8, "organization", RELIABLE).dbl("Failure rate"))
              .isCloseTo(27.0 / 2507, within(1e-12));
        });
    f.expect(
        uid,
        "Sessions per organization",
        r -> {
          assertThat(point(r, "time", "2026-11-26 00:00:00", "organization", DAILY).lng("Sessions"))
              .isEqualTo(250);
          assertThat(
                  point(r, "time", "2026-12-01 00:00:00", "organization", SMITHS).lng("Sessions"))
              .isEqualTo(100);
          assertThat(point(r, "time", DEC9, "organization", RELIABLE).lng("Sessions"))
              .isEqualTo(2526);
          assertThat(sum(r, "Sessions")).isEqualTo(22920 + 362);
        });
    f.expect(
        uid,
        "Failure types per organization",
        r ->
            rows(
                r,
                cols("Organization", "Result type", FAILED, "Reports"),
                row(RELIABLE, "certificate-host-mismatch", 190, 8),
                row(RELIABLE, "certificate-expired", 74, 8),
                row(RELIABLE, "starttls-not-supported", 50, 2),
                row(RELIABLE, "validation-failure", 41, 8),
                row(LATE, "sts-policy-fetch-error", 7, 1)));
  }

  private static void domains(PanelFigures f) {
    String uid = "tlsrpt-domains";
    f.expect(
        uid,
        "Policy domains",
        r ->
            rows(
                r,
                cols(
                    "Policy domain",
                    "Policy types",
                    "Modes",
                    "Organizations",
                    "Successful sessions",
                    FAILED),
                row(BULK, "sts", "testing", 1, 7810, 190),
                row(SHOP, "sts", "enforce", 3, 10300, 121),
                row(NEWS, "sts", "testing", 2, 4200, 41),
                row(TINY, "sts", "none", 1, 10, 10),
                row(DANE, "tlsa", "n/a", 1, 600, 0)));
    f.expect(
        uid,
        "Failing MX hosts by sender",
        r ->
            rows(
                r,
                cols(
                    "Policy domain",
                    "MX host",
                    "Organization",
                    "Mode",
                    "Result types",
                    FAILED,
                    "Reports"),
                row(
                    BULK,
                    "mx1.bulk.example",
                    RELIABLE,
                    "testing",
                    "certificate-host-mismatch",
                    190,
                    8),
                row(SHOP, "mx1.shop.example", RELIABLE, "enforce", "certificate-expired", 74, 8),
                row(NEWS, "mx1.news.example", RELIABLE, "testing", "validation-failure", 41, 8),
                row(SHOP, "mx2.shop.example", RELIABLE, "enforce", "starttls-not-supported", 40, 1),
                row(TINY, "mx1.tiny.example", RELIABLE, "none", "starttls-not-supported", 10, 1),
                row(SHOP, "(not given)", LATE, "enforce", "sts-policy-fetch-error", 7, 1)));
    f.expect(
        uid,
        "Failed sessions per MX host",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(27);
          assertThat(point(r, "time", DEC9, "mx", "shop.example mx2.shop.example").lng("Failed"))
              .isEqualTo(40);
          assertThat(point(r, "time", DEC9, "mx", "shop.example mx1.shop.example").lng("Failed"))
              .isEqualTo(60);
          assertThat(point(r, "time", DEC8, "mx", "shop.example (not given)").lng("Failed"))
              .isEqualTo(7);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
    f.expect(
        uid,
        "MX hosts by result type",
        r ->
            rows(
                r,
                cols("MX host", "Result type", FAILED, "Organizations"),
                row("mx1.bulk.example", "certificate-host-mismatch", 190, 1),
                row("mx1.shop.example", "certificate-expired", 74, 1),
                row("mx1.news.example", "validation-failure", 41, 1),
                row("mx2.shop.example", "starttls-not-supported", 40, 1),
                row("mx1.tiny.example", "starttls-not-supported", 10, 1),
                row("(not given)", "sts-policy-fetch-error", 7, 1)));
  }
}

package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
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
import static org.tlsrpt.dashboards.TlsrptFixture.LATE;
import static org.tlsrpt.dashboards.TlsrptFixture.NEWS;
import static org.tlsrpt.dashboards.TlsrptFixture.RELIABLE;
import static org.tlsrpt.dashboards.TlsrptFixture.SHOP;
import static org.tlsrpt.dashboards.TlsrptFixture.TINY;

import java.util.TreeSet;

/** What the failure details and enforce-mode failures dashboards show over the fixture. */
final class DetailPanelFigures {
  private DetailPanelFigures() {}

  static void addTo(PanelFigures f) {
    failureDetails(f);
    enforce(f);
  }

  private static void failureDetails(PanelFigures f) {
    String uid = "tlsrpt-failures";
    String x509 = "X509_V_ERR_CERT_HAS_EXPIRED";
    f.expect(
        uid,
        "Failure details",
        r ->
            rows(
                r,
                cols(
                    "Organization",
                    "Policy domain",
                    "Mode",
                    "Result type",
                    "Sending MTA IP",
                    "Receiving MX",
                    "Receiving IP",
                    "Reason code",
                    FAILED,
                    "Reports",
                    "First report start",
                    "Last report end"),
                row(
                    RELIABLE,
                    BULK,
                    "testing",
                    "certificate-host-mismatch",
                    "192.0.2.12",
                    "mx1.bulk.example",
                    "198.51.100.30",
                    "",
                    190,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    SHOP,
                    "enforce",
                    "certificate-expired",
                    "192.0.2.10",
                    "mx1.shop.example",
                    "198.51.100.1",
                    x509,
                    74,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    NEWS,
                    "testing",
                    "validation-failure",
                    "192.0.2.10",
                    "mx1.news.example",
                    "198.51.100.20",
                    "",
                    41,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    SHOP,
                    "enforce",
                    "starttls-not-supported",
                    "192.0.2.11",
                    "mx2.shop.example",
                    "198.51.100.2",
                    "",
                    40,
                    1,
                    "2026-12-09 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    TINY,
                    "none",
                    "starttls-not-supported",
                    "192.0.2.10",
                    "mx1.tiny.example",
                    "198.51.100.40",
                    "",
                    10,
                    1,
                    "2026-12-09 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    LATE,
                    SHOP,
                    "enforce",
                    "sts-policy-fetch-error",
                    "",
                    "",
                    "",
                    "",
                    7,
                    1,
                    "2026-12-08 00:00:00.000",
                    "2026-12-08 23:59:59.000")));
    f.expect(
        uid,
        "Sending MTA IPs",
        r ->
            rows(
                r,
                cols("Sending MTA IP", FAILED, "Result types", "Receiving MX hosts"),
                row("192.0.2.12", 190, "certificate-host-mismatch", 1),
                row(
                    "192.0.2.10",
                    125,
                    "certificate-expired, starttls-not-supported, validation-failure",
                    3),
                row("192.0.2.11", 40, "starttls-not-supported", 1),
                row("(not given)", 7, "sts-policy-fetch-error", 1)));
    f.expect(
        uid,
        "Receiving MX hosts and IPs",
        r ->
            rows(
                r,
                cols("Receiving MX", "Receiving IP", FAILED, "Result types", "Sending MTA IPs"),
                row("mx1.bulk.example", "198.51.100.30", 190, "certificate-host-mismatch", 1),
                row("mx1.shop.example", "198.51.100.1", 74, "certificate-expired", 1),
                row("mx1.news.example", "198.51.100.20", 41, "validation-failure", 1),
                row("mx2.shop.example", "198.51.100.2", 40, "starttls-not-supported", 1),
                row("mx1.tiny.example", "198.51.100.40", 10, "starttls-not-supported", 1),
                row("(not given)", "(not given)", 7, "sts-policy-fetch-error", 1)));
    f.expect(
        uid,
        "Reason codes",
        r ->
            rows(
                r,
                cols("Result type", "Reason code", FAILED, "Reports"),
                row("certificate-host-mismatch", "", 190, 8),
                row("certificate-expired", x509, 74, 8),
                row("starttls-not-supported", "", 50, 2),
                row("validation-failure", "", 41, 8),
                row("sts-policy-fetch-error", "", 7, 1)));
    f.expect(
        uid,
        "Failed sessions per result type",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(26);
          assertThat(point(r, "time", DEC9, "result_type", "certificate-expired").lng("Failed"))
              .isEqualTo(60);
          assertThat(point(r, "time", DEC9, "result_type", "starttls-not-supported").lng("Failed"))
              .isEqualTo(50);
          assertThat(point(r, "time", DEC8, "result_type", "sts-policy-fetch-error").lng("Failed"))
              .isEqualTo(7);
          assertThat(sum(r, "Failed")).isEqualTo(362);
        });
  }

  private static void enforce(PanelFigures f) {
    String uid = "tlsrpt-enforce";
    f.expect(
        uid, "Refused sessions", r -> assertThat(single(r, FAILED)).isEqualByComparingTo("121"));
    f.expect(
        uid,
        "Policy domains refused",
        r -> assertThat(single(r, "Policy domains")).isEqualByComparingTo("1"));
    f.expect(
        uid,
        "Senders refused",
        r -> assertThat(single(r, "Organizations")).isEqualByComparingTo("2"));
    f.expect(
        uid,
        "Being refused: failure details, newest reports first",
        r ->
            rows(
                r,
                cols(
                    "Policy domain",
                    "Organization",
                    "Result type",
                    "Receiving MX",
                    "Receiving IP",
                    "Sending MTA IP",
                    "Reason code",
                    FAILED,
                    "Last report end",
                    "Last received"),
                row(
                    SHOP,
                    RELIABLE,
                    "certificate-expired",
                    "mx1.shop.example",
                    "198.51.100.1",
                    "192.0.2.10",
                    "X509_V_ERR_CERT_HAS_EXPIRED",
                    74,
                    "2026-12-09 23:59:59.000",
                    "2026-12-10 06:00:00.000"),
                row(
                    SHOP,
                    RELIABLE,
                    "starttls-not-supported",
                    "mx2.shop.example",
                    "198.51.100.2",
                    "192.0.2.11",
                    "",
                    40,
                    "2026-12-09 23:59:59.000",
                    "2026-12-10 06:00:00.000"),
                row(
                    SHOP,
                    LATE,
                    "sts-policy-fetch-error",
                    "",
                    "",
                    "",
                    "",
                    7,
                    "2026-12-08 23:59:59.000",
                    "2026-12-09 06:00:00.000")));
    f.expect(
        uid,
        "Refused sessions per policy domain",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(14);
          assertThat(new TreeSet<>(r.column("policy_domain"))).containsExactly(SHOP);
          assertThat(point(r, "time", DEC9).lng("Failed")).isEqualTo(100);
          assertThat(point(r, "time", DEC8).lng("Failed")).isEqualTo(9);
          assertThat(point(r, "time", "2026-12-07 00:00:00").lng("Failed")).isEqualTo(2);
          assertThat(sum(r, "Failed")).isEqualTo(121);
        });
    f.expect(
        uid,
        "Reports with refused sessions",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(9);
          rows(
              new QueryRows(r.sql(), r.names(), r.types(), r.rows().subList(0, 3)),
              cols(
                  "Report start",
                  "Organization",
                  "Policy domain",
                  "Report ID",
                  "Successful sessions",
                  FAILED,
                  "Received"),
              row(
                  "2026-12-09 00:00:00.000",
                  RELIABLE,
                  SHOP,
                  "2026-12-09T00:00:00Z_shop.example",
                  900,
                  100,
                  "2026-12-10 06:00:00.000"),
              row(
                  "2026-12-08 00:00:00.000",
                  LATE,
                  SHOP,
                  "2026-12-08T00:00:00Z_shop.example",
                  0,
                  7,
                  "2026-12-09 06:00:00.000"),
              row(
                  "2026-12-08 00:00:00.000",
                  RELIABLE,
                  SHOP,
                  "2026-12-08T00:00:00Z_shop.example",
                  1000,
                  2,
                  "2026-12-09 06:00:00.000"));
          assertThat(sum(r, FAILED)).isEqualTo(121);
        });
  }
}

package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.dashboards.Expect.cols;
import static org.tlsrpt.dashboards.Expect.point;
import static org.tlsrpt.dashboards.Expect.row;
import static org.tlsrpt.dashboards.Expect.rows;
import static org.tlsrpt.dashboards.Expect.sum;
import static org.tlsrpt.dashboards.PanelFigures.DEC8;
import static org.tlsrpt.dashboards.PanelFigures.DEC9;
import static org.tlsrpt.dashboards.TlsrptFixture.BULK;
import static org.tlsrpt.dashboards.TlsrptFixture.DAILY;
import static org.tlsrpt.dashboards.TlsrptFixture.DANE;
import static org.tlsrpt.dashboards.TlsrptFixture.LATE;
import static org.tlsrpt.dashboards.TlsrptFixture.NEWS;
import static org.tlsrpt.dashboards.TlsrptFixture.RELIABLE;
import static org.tlsrpt.dashboards.TlsrptFixture.SHOP;
import static org.tlsrpt.dashboards.TlsrptFixture.SMITHS;
import static org.tlsrpt.dashboards.TlsrptFixture.TINY;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** What the reporters and data quality and the policy changes dashboards show over the fixture. */
final class QualityPanelFigures {
  private QualityPanelFigures() {}

  static void addTo(PanelFigures f) {
    reporters(f);
    policies(f);
  }

  private static void reporters(PanelFigures f) {
    String uid = "tlsrpt-reporters";
    f.expect(
        uid,
        "Reports per reporter per day",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(23);
          assertThat(point(r, "time", "2026-11-26 00:00:00", "organization", DAILY).lng("Reports"))
              .isEqualTo(2);
          assertThat(point(r, "time", DEC9, "organization", RELIABLE).lng("Reports")).isEqualTo(4);
          assertThat(point(r, "time", DEC8, "organization", LATE).lng("Reports")).isEqualTo(1);
          assertThat(sum(r, "Reports")).isEqualTo(52);
        });
    f.expect(
        uid,
        "Expected reporters gone silent",
        r ->
            rows(
                r,
                cols("Organization", "Last received", "Days with reports, of 7", "Hours silent"),
                row(DAILY, "2026-12-08 03:00:00.000", 7, 57)));
    f.expect(
        uid,
        "Reporters",
        r ->
            rows(
                r,
                cols(
                    "Organization",
                    "Reports",
                    "Days",
                    "Last report end",
                    "Last received",
                    "Sources",
                    "DKIM"),
                row(
                    RELIABLE,
                    25,
                    8,
                    "2026-12-09 23:59:59.000",
                    "2026-12-10 06:00:00.000",
                    "smtp",
                    "pass"),
                row(
                    LATE,
                    1,
                    1,
                    "2026-12-08 23:59:59.000",
                    "2026-12-09 06:00:00.000",
                    "smtp",
                    "not-checked"),
                row(
                    DAILY,
                    12,
                    12,
                    "2026-12-07 23:59:59.000",
                    "2026-12-08 03:00:00.000",
                    "imap",
                    "not-checked"),
                row(
                    SMITHS,
                    2,
                    2,
                    "2026-12-05 23:59:59.000",
                    "2026-12-06 09:00:00.000",
                    "https",
                    "not-checked")));
    f.expect(
        uid,
        "Warnings on quirky reports",
        r -> {
          rows(
              r,
              cols("Organization", "Reports", "Last received"),
              row(SMITHS, 1, "2026-12-06 09:00:00.000"));
          assertThat(r.get(0).text("Warning")).contains("mx-host is a string");
        });
    f.expect(
        uid,
        "DKIM results",
        r ->
            rows(
                r,
                cols("Organization", "DKIM", "Reports"),
                row(DAILY, "not-checked", 12),
                row(LATE, "not-checked", 1),
                row(RELIABLE, "pass", 25),
                row(SMITHS, "not-checked", 2)));
    f.expect(
        uid,
        "Rejected and quarantined inputs",
        r -> {
          // hourly buckets: one rejected input from 11:00 on Dec 9 to 10:00 on Dec 10, then the
          // burst
          assertThat(r.size()).as("%s", r).isEqualTo(26);
          assertThat(point(r, "time", "2026-12-09 11:00:00").lng("Inputs")).isEqualTo(1);
          assertThat(point(r, "time", "2026-12-10 10:00:00").lng("Inputs")).isEqualTo(1);
          assertThat(point(r, "time", "2026-12-10 11:00:00", "status", "rejected").lng("Inputs"))
              .isEqualTo(5);
          assertThat(point(r, "time", "2026-12-10 11:00:00", "status", "quarantined").lng("Inputs"))
              .isEqualTo(1);
          assertThat(sum(r, "Inputs")).isEqualTo(30);
        });
    f.expect(
        uid,
        "Rejections by code",
        r ->
            rows(
                r,
                cols("Status", "Code", "Inputs", "Last received"),
                row("rejected", "invalid_json", 17, "2026-12-10 11:50:00.000"),
                row("rejected", "not_a_report", 12, "2026-12-10 10:30:00.000"),
                row("quarantined", "quarantined", 1, "2026-12-10 11:45:00.000")));
    f.expect(
        uid,
        "Rejected and quarantined inputs, newest first",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(30);
          rows(
              new QueryRows(r.sql(), r.names(), r.types(), r.rows().subList(0, 2)),
              cols("Received", "Status", "Code", "Source", "Message"),
              row(
                  "2026-12-10 11:50:00.000",
                  "rejected",
                  "invalid_json",
                  "smtp",
                  r.get(0).text("Message")),
              row(
                  "2026-12-10 11:45:00.000",
                  "quarantined",
                  "quarantined",
                  "smtp",
                  "DKIM signature did not verify"));
          assertThat(r.get(0).text("Message")).contains("JSON");
          assertThat(r.get(29).text("Received")).isEqualTo("2026-12-09 11:30:00.000");
          assertThat(r.get(29).text("SHA-256")).matches("[0-9a-f]{64}");
        });
  }

  private static void policies(PanelFigures f) {
    String uid = "tlsrpt-policies";
    f.expect(
        uid,
        "Policies seen",
        r -> {
          rows(
              r,
              cols(
                  "Policy domain",
                  "Policy type",
                  "Mode",
                  "Seen by",
                  "Reports",
                  "First report start",
                  "Last report end"),
              row(
                  BULK,
                  "sts",
                  "testing",
                  RELIABLE,
                  8,
                  "2026-12-02 00:00:00.000",
                  "2026-12-09 23:59:59.000"),
              row(
                  DANE,
                  "tlsa",
                  "n/a",
                  DAILY,
                  12,
                  "2026-11-26 00:00:00.000",
                  "2026-12-07 23:59:59.000"),
              row(
                  NEWS,
                  "sts",
                  "testing",
                  RELIABLE + ", " + SMITHS,
                  10,
                  "2026-12-01 00:00:00.000",
                  "2026-12-09 23:59:59.000"),
              row(
                  SHOP,
                  "sts",
                  "enforce",
                  DAILY + ", " + RELIABLE,
                  15,
                  "2026-11-26 00:00:00.000",
                  "2026-12-07 23:59:59.000"),
              row(
                  SHOP,
                  "sts",
                  "enforce",
                  LATE + ", " + RELIABLE,
                  6,
                  "2026-12-05 00:00:00.000",
                  "2026-12-09 23:59:59.000"),
              row(
                  TINY,
                  "sts",
                  "none",
                  RELIABLE,
                  1,
                  "2026-12-09 00:00:00.000",
                  "2026-12-09 23:59:59.000"));
          assertThat(r.get(3).text("Policy")).endsWith("max_age: 86400");
          assertThat(r.get(4).text("Policy"))
              .isEqualTo(
                  "version: STSv1 | mode: enforce | mx: mx1.shop.example | mx: mx2.shop.example"
                      + " | max_age: 604800");
          assertThat(r.column("Fingerprint")).allMatch(x -> x.matches("[0-9a-f]{16}"));
          assertThat(new TreeSet<>(r.column("Fingerprint"))).hasSize(6);
        });
    f.expect(
        uid,
        "Policies per sender and domain",
        r ->
            rows(
                r,
                cols("Organization", "Policy domain", "Policies", "Modes"),
                row(RELIABLE, SHOP, 2, "enforce"),
                row(DAILY, DANE, 1, "n/a"),
                row(DAILY, SHOP, 1, "enforce"),
                row(LATE, SHOP, 1, "enforce"),
                row(RELIABLE, BULK, 1, "testing"),
                row(RELIABLE, NEWS, 1, "testing"),
                row(RELIABLE, TINY, 1, "none"),
                row(SMITHS, NEWS, 1, "testing")));
    f.expect(
        uid,
        "Distinct policies per domain per day",
        r -> {
          assertThat(r.size()).as("%s", r).isEqualTo(44);
          List<String> changing = new ArrayList<>();
          for (QueryRows.Row x : r.all()) {
            if (x.lng("Policies") > 1) {
              changing.add(
                  x.text("time") + " " + x.text("policy_domain") + " " + x.lng("Policies"));
            }
          }
          // Reliable Mail saw the new policy of shop.example from Dec 5, Daily Sender never did
          assertThat(changing)
              .containsExactly(
                  "2026-12-05 00:00:00 shop.example 2",
                  "2026-12-06 00:00:00 shop.example 2",
                  "2026-12-07 00:00:00 shop.example 2");
        });
    f.expect(
        uid,
        "When each sender saw each policy",
        r ->
            rows(
                r,
                cols(
                    "Organization",
                    "Policy domain",
                    "Mode",
                    "max_age",
                    "Reports",
                    "First report start",
                    "Last report end"),
                row(
                    RELIABLE,
                    BULK,
                    "testing",
                    86400,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    DAILY,
                    DANE,
                    "n/a",
                    null,
                    12,
                    "2026-11-26 00:00:00.000",
                    "2026-12-07 23:59:59.000"),
                row(
                    RELIABLE,
                    NEWS,
                    "testing",
                    86400,
                    8,
                    "2026-12-02 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    SMITHS,
                    NEWS,
                    "testing",
                    86400,
                    2,
                    "2026-12-01 00:00:00.000",
                    "2026-12-05 23:59:59.000"),
                row(
                    DAILY,
                    SHOP,
                    "enforce",
                    86400,
                    12,
                    "2026-11-26 00:00:00.000",
                    "2026-12-07 23:59:59.000"),
                row(
                    LATE,
                    SHOP,
                    "enforce",
                    604800,
                    1,
                    "2026-12-08 00:00:00.000",
                    "2026-12-08 23:59:59.000"),
                row(
                    RELIABLE,
                    SHOP,
                    "enforce",
                    86400,
                    3,
                    "2026-12-02 00:00:00.000",
                    "2026-12-04 23:59:59.000"),
                row(
                    RELIABLE,
                    SHOP,
                    "enforce",
                    604800,
                    5,
                    "2026-12-05 00:00:00.000",
                    "2026-12-09 23:59:59.000"),
                row(
                    RELIABLE,
                    TINY,
                    "none",
                    86400,
                    1,
                    "2026-12-09 00:00:00.000",
                    "2026-12-09 23:59:59.000")));
  }
}

package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.dashboards.Expect.cols;
import static org.tlsrpt.dashboards.Expect.row;
import static org.tlsrpt.dashboards.Expect.rows;
import static org.tlsrpt.dashboards.Expect.single;
import static org.tlsrpt.dashboards.TlsrptFixture.BULK;
import static org.tlsrpt.dashboards.TlsrptFixture.NEWS;
import static org.tlsrpt.dashboards.TlsrptFixture.SHOP;

/**
 * What the posture checks dashboard shows over the fixture's posture runs: each domain's newest run
 * in the range only (shop.example's run of Dec 9 and tiny.example's of Nov 20 are not shown).
 */
final class PosturePanelFigures {
  private PosturePanelFigures() {}

  static void addTo(PanelFigures f) {
    String uid = "tlsrpt-posture";
    f.expect(
        uid,
        "Failing and warning checks",
        r -> {
          // shop.example's mx1 certificate and TLSA, news.example's STARTTLS; shop's policy host
          // and DNSSEC signature, news' mode
          assertThat(single(r, "Failing checks")).isEqualByComparingTo("3");
          assertThat(single(r, "Warning checks")).isEqualByComparingTo("3");
          assertThat(single(r, "Domains checked")).isEqualByComparingTo("3");
        });
    f.expect(
        uid,
        "Certificates by days to expiry",
        r ->
            rows(
                r,
                cols("Policy domain", "Check", "Subject", "Days to expiry", "Not after", "Status"),
                row(
                    SHOP,
                    "mx.certificate_expiry",
                    "mx1.shop.example",
                    -1,
                    "2026-12-09T00:00:00Z",
                    "FAIL"),
                row(
                    SHOP,
                    "policy.certificate_expiry",
                    "mta-sts.shop.example",
                    9,
                    "2026-12-19T00:00:00Z",
                    "WARN"),
                row(
                    SHOP,
                    "mx.certificate_expiry",
                    "mx2.shop.example",
                    60,
                    "2027-02-08T00:00:00Z",
                    "OK"),
                row(
                    BULK,
                    "mx.certificate_expiry",
                    "mx1.bulk.example",
                    200,
                    "2027-06-26T00:00:00Z",
                    "OK")));
    f.expect(
        uid,
        "DANE and DNSSEC",
        r ->
            rows(
                r,
                cols(
                    "Policy domain",
                    "Status",
                    "Check",
                    "Subject",
                    "Message",
                    "Days to expiry",
                    "What to do"),
                row(
                    SHOP,
                    "FAIL",
                    "dane.tlsa_match",
                    "mx1.shop.example",
                    "no TLSA record matches",
                    null,
                    "publish a record for the certificate in use"),
                row(
                    SHOP,
                    "WARN",
                    "dane.signature_expiry",
                    "shop.example",
                    "the earliest signature expires in 1 days",
                    1,
                    "re-sign the zone"),
                row(
                    SHOP,
                    "OK",
                    "dane.dnssec",
                    "shop.example",
                    "secure: MX records validate",
                    null,
                    "")));
    String newsPolicy = "https://mta-sts.news.example/.well-known/mta-sts.txt";
    String dec10 = "2026-12-10 06:00:00.000";
    String news = "2026-12-10 07:30:00.000";
    String bulk = "2026-12-08 12:00:00.000";
    f.expect(
        uid,
        "Newest run per domain",
        r ->
            rows(
                r,
                cols(
                    "Policy domain",
                    "Status",
                    "Check",
                    "Subject",
                    "Message",
                    "What to do",
                    "Checked at"),
                row(
                    BULK,
                    "OK",
                    "dns.mta_sts_txt",
                    "_mta-sts.bulk.example",
                    "one STSv1 record",
                    "",
                    bulk),
                row(
                    BULK,
                    "OK",
                    "mx.certificate_expiry",
                    "mx1.bulk.example",
                    "valid for 200 days",
                    "",
                    bulk),
                row(
                    NEWS,
                    "FAIL",
                    "mx.starttls",
                    "mx1.news.example",
                    "STARTTLS not offered",
                    "enable STARTTLS",
                    news),
                row(
                    NEWS,
                    "WARN",
                    "policy.mode",
                    newsPolicy,
                    "mode testing",
                    "set mode: enforce",
                    news),
                row(
                    NEWS,
                    "NOT_CHECKED",
                    "mx.certificate_expiry",
                    "mx1.news.example",
                    "no TLS handshake",
                    "",
                    news),
                row(
                    SHOP,
                    "FAIL",
                    "dane.tlsa_match",
                    "mx1.shop.example",
                    "no TLSA record matches",
                    "publish a record for the certificate in use",
                    dec10),
                row(
                    SHOP,
                    "FAIL",
                    "mx.certificate_expiry",
                    "mx1.shop.example",
                    "expired 1 day ago",
                    "renew the certificate now",
                    dec10),
                row(
                    SHOP,
                    "WARN",
                    "dane.signature_expiry",
                    "shop.example",
                    "the earliest signature expires in 1 days",
                    "re-sign the zone",
                    dec10),
                row(
                    SHOP,
                    "WARN",
                    "policy.certificate_expiry",
                    "mta-sts.shop.example",
                    "expires in 9 days",
                    "renew the certificate",
                    dec10),
                row(
                    SHOP,
                    "OK",
                    "dane.dnssec",
                    "shop.example",
                    "secure: MX records validate",
                    "",
                    dec10),
                row(
                    SHOP,
                    "OK",
                    "dns.mta_sts_txt",
                    "_mta-sts.shop.example",
                    "one STSv1 record",
                    "",
                    dec10),
                row(
                    SHOP,
                    "OK",
                    "mx.certificate_expiry",
                    "mx2.shop.example",
                    "valid for 60 days",
                    "",
                    dec10)));
  }
}

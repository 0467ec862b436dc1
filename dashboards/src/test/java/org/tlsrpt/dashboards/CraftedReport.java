package org.tlsrpt.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

/**
 * A TLS report made for the tests, written as RFC 8460 JSON (one day, 00:00 to 23:59:59 UTC, as
 * Google sends them) so that it goes through the real parser and writer like a received one.
 */
record CraftedReport(String organization, String contact, LocalDate day, List<Policy> policies) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One failure-details entry; null fields are left out of the JSON, as reporters do. */
  record Detail(
      String resultType,
      String sendingMtaIp,
      String receivingMx,
      String receivingIp,
      long count,
      String reasonCode) {}

  /** One policy result. {@code mxHostAsString}: the quirk of the RFC's own example. */
  record Policy(
      String type,
      String domain,
      List<String> strings,
      List<String> mxHosts,
      boolean mxHostAsString,
      long successful,
      long failed,
      List<Detail> details) {

    Policy asStringMxHost() {
      return new Policy(type, domain, strings, mxHosts, true, successful, failed, details);
    }
  }

  /** An MTA-STS policy with two MX hosts, mx1 and mx2 of the domain. */
  static Policy sts(
      String domain, String mode, long maxAge, long successful, long failed, Detail... details) {
    List<String> mx = List.of("mx1." + domain, "mx2." + domain);
    return new Policy(
        "sts",
        domain,
        List.of(
            "version: STSv1",
            "mode: " + mode,
            "mx: " + mx.get(0),
            "mx: " + mx.get(1),
            "max_age: " + maxAge),
        mx,
        false,
        successful,
        failed,
        List.of(details));
  }

  /** A DANE policy: one TLSA record of the domain's MX host. */
  static Policy tlsa(String domain, long successful, long failed) {
    return new Policy(
        "tlsa",
        domain,
        List.of("3 1 1 " + "0123456789abcdef".repeat(4)),
        List.of(),
        false,
        successful,
        failed,
        List.of());
  }

  static Detail detail(
      String resultType, String from, String mx, String ip, long count, String reasonCode) {
    return new Detail(resultType, from, mx, ip, count, reasonCode);
  }

  String reportId() {
    return day + "T00:00:00Z_" + policies.get(0).domain();
  }

  byte[] json() {
    ObjectNode r = JSON.createObjectNode();
    r.put("organization-name", organization);
    r.putObject("date-range")
        .put("start-datetime", day + "T00:00:00Z")
        .put("end-datetime", day + "T23:59:59Z");
    r.put("contact-info", contact);
    r.put("report-id", reportId());
    ArrayNode ps = r.putArray("policies");
    for (Policy p : policies) {
      ObjectNode entry = ps.addObject();
      ObjectNode policy = entry.putObject("policy");
      policy.put("policy-type", p.type());
      p.strings().forEach(policy.putArray("policy-string")::add);
      policy.put("policy-domain", p.domain());
      if (p.mxHostAsString()) {
        policy.put("mx-host", p.mxHosts().get(0));
      } else if (!p.mxHosts().isEmpty()) {
        p.mxHosts().forEach(policy.putArray("mx-host")::add);
      }
      entry
          .putObject("summary")
          .put("total-successful-session-count", p.successful())
          .put("total-failure-session-count", p.failed());
      if (!p.details().isEmpty()) {
        ArrayNode ds = entry.putArray("failure-details");
        for (Detail d : p.details()) {
          ObjectNode o = ds.addObject();
          o.put("result-type", d.resultType());
          putIfPresent(o, "sending-mta-ip", d.sendingMtaIp());
          putIfPresent(o, "receiving-mx-hostname", d.receivingMx());
          putIfPresent(o, "receiving-ip", d.receivingIp());
          o.put("failed-session-count", d.count());
          putIfPresent(o, "failure-reason-code", d.reasonCode());
        }
      }
    }
    return r.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void putIfPresent(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }
}

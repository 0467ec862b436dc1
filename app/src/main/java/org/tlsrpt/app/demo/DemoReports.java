package org.tlsrpt.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo data of {@code tlsrpt serve --demo}: the bundled real samples as they are, and a recent
 * month derived from them. Each of the last 30 days gets one report per (sending organization,
 * policy domain), the organizations and their contacts taken from the samples, for three
 * documentation domains: {@code example.com} (MTA-STS enforce; a certificate expired on its second
 * MX for four days), {@code example.net} (MTA-STS testing; its backup MX presents a certificate for
 * another name: not ready for enforce), {@code shop.example.com} (MTA-STS testing, clean, reported
 * by Google and Microsoft: ready for enforce) and {@code example.org} (DANE; a TLSA rollover that
 * went wrong for two days). A few inputs are broken on purpose (rejected) and one report is
 * quarantined, so every table of the dashboard has something in it. Deterministic for a given last
 * day.
 */
public final class DemoReports {

  /** Days generated, ending yesterday. */
  public static final int DAYS = 30;

  private DemoReports() {}

  /**
   * One input to load.
   *
   * @param quarantineReason not null for the one input kept but not counted
   */
  public record Input(String name, byte[] bytes, Instant receivedAt, String quarantineReason) {}

  /**
   * What {@link #generate} made, with the figures the generated month states (the samples and the
   * quarantined report left out), for messages and tests.
   */
  public record Month(
      List<Input> inputs,
      LocalDate first,
      LocalDate last,
      int samples,
      int reports,
      long successful,
      long failed,
      int broken,
      List<String> organizations) {}

  private record Domain(String name, String type, String mode, List<String> mx, List<String> ips) {}

  private record Reporter(String sample, double volume, List<String> ips, List<String> domains) {}

  private static final Domain COM =
      new Domain(
          "example.com",
          "sts",
          "enforce",
          List.of("mx1.example.com", "mx2.example.com"),
          List.of("192.0.2.10", "192.0.2.11"));
  private static final Domain NET =
      new Domain(
          "example.net",
          "sts",
          "testing",
          List.of("mail.example.net", "backup.example.net"),
          List.of("192.0.2.20", "192.0.2.21"));
  private static final Domain SHOP =
      new Domain(
          "shop.example.com",
          "sts",
          "testing",
          List.of("mx.shop.example.com"),
          List.of("192.0.2.30"));
  private static final Domain ORG =
      new Domain(
          "example.org", "tlsa", "", List.of("mail.example.org"), List.of("2001:db8:25::10"));

  private static final Map<String, Integer> BASE_SESSIONS =
      Map.of("example.com", 1200, "example.net", 300, "shop.example.com", 200, "example.org", 150);

  private static final List<Reporter> REPORTERS =
      List.of(
          new Reporter(
              "cry-inc__google.json",
              1.0,
              List.of("198.51.100.17", "198.51.100.42"),
              List.of("example.com", "example.net", "shop.example.com", "example.org")),
          new Reporter(
              "cry-inc__microsoft.json",
              0.6,
              List.of("203.0.113.8", "2001:db8:4f::25"),
              List.of("example.com", "example.net", "shop.example.com", "example.org")),
          new Reporter(
              "parsedmarc__mail.ru.json",
              0.08,
              List.of("192.0.2.61"),
              List.of("example.com", "example.net")),
          new Reporter(
              "cry-inc__no-contact.json", 0.02, List.of("192.0.2.200"), List.of("example.com")));

  /** The bundled samples and a month ending at {@code last} (normally yesterday, UTC). */
  public static Month generate(LocalDate last) {
    Random random = new Random(8460);
    // the domain added later draws from its own sequence: the others' figures stay as they were
    Random shopRandom = new Random(8461);
    List<Input> inputs = new ArrayList<>();
    Instant loadedAt = last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    List<BundledSamples.Sample> samples = BundledSamples.all();
    for (BundledSamples.Sample s : samples) {
      inputs.add(new Input("sample " + s.name(), s.bytes(), loadedAt, null));
    }
    LocalDate first = last.minusDays(DAYS - 1L);
    int reports = 0;
    long ok = 0;
    long failed = 0;
    List<String> organizations = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      int ago = (int) Duration.between(day.atStartOfDay(), last.atStartOfDay()).toDays() + 1;
      for (Reporter r : REPORTERS) {
        ObjectNode template = DemoJson.tree(DemoJson.sampleBytes(samples, r.sample()));
        String org = template.path("organization-name").asText();
        if (!organizations.contains(org)) {
          organizations.add(org);
        }
        for (String d : r.domains()) {
          Random rnd = d.equals(SHOP.name()) ? shopRandom : random;
          ObjectNode report = report(template, r, domain(d), day, ago, rnd);
          for (JsonNode p : report.get("policies")) {
            ok += p.at("/summary/total-successful-session-count").asLong();
            failed += p.at("/summary/total-failure-session-count").asLong();
          }
          reports++;
          Instant received =
              day.plusDays(1)
                  .atStartOfDay(ZoneOffset.UTC)
                  .toInstant()
                  .plusSeconds(3600 + rnd.nextInt(5 * 3600));
          inputs.add(
              new Input(
                  org + " " + d + " " + day,
                  DemoJson.gzip(DemoJson.bytes(report)),
                  received, /* counted */
                  null));
        }
      }
    }
    int before = inputs.size();
    BrokenInputs.add(inputs, samples, first, random);
    return new Month(
        List.copyOf(inputs),
        first,
        last,
        samples.size(),
        reports,
        ok,
        failed,
        inputs.size() - before,
        List.copyOf(organizations));
  }

  private static Domain domain(String name) {
    return switch (name) {
      case "example.com" -> COM;
      case "example.net" -> NET;
      case "shop.example.com" -> SHOP;
      default -> ORG;
    };
  }

  /** One organization's report on one domain for one day. */
  private static ObjectNode report(
      ObjectNode template, Reporter r, Domain d, LocalDate day, int ago, Random random) {
    ObjectNode report = template.deepCopy();
    String org = report.path("organization-name").asText();
    report.put(
        "report-id",
        "demo-"
            + org.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
            + "-"
            + d.name()
            + "-"
            + day);
    ObjectNode range = report.putObject("date-range");
    range.put("start-datetime", day + "T00:00:00Z");
    range.put("end-datetime", day + "T23:59:59Z");
    ArrayNode policies = report.putArray("policies");
    double weekday =
        day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY
            ? 0.6
            : 1.0;
    long sessions =
        Math.max(
            1,
            Math.round(
                BASE_SESSIONS.get(d.name())
                    * r.volume()
                    * weekday
                    * (0.85 + 0.3 * random.nextDouble())));
    boolean microsoft = org.startsWith("Microsoft");
    if (d.type().equals("tlsa") && !microsoft) {
      // only Microsoft validates DANE among these senders; the others find no MTA-STS policy
      ObjectNode p = policies.addObject();
      p.putObject("policy").put("policy-type", "no-policy-found").put("policy-domain", d.name());
      summary(p, sessions, List.of());
      return report;
    }
    List<ObjectNode> failures = new ArrayList<>();
    String ip = r.ips().get(random.nextInt(r.ips().size()));
    switch (d.name()) {
      case "example.com" -> {
        if (ago >= 9 && ago <= 12) {
          // the certificate of mx2 expired; senders fell back to mx1 for the mail itself
          failures.add(
              failure(
                  "certificate-expired",
                  ip,
                  d.mx().get(1),
                  d.ips().get(1),
                  Math.round(sessions * (0.3 + 0.1 * random.nextDouble())),
                  null,
                  null));
        }
        if (microsoft && random.nextInt(4) == 0) {
          failures.add(
              failure(
                  "sts-webpki-invalid",
                  ip,
                  d.mx().get(0),
                  d.ips().get(0),
                  1 + random.nextInt(3),
                  "unable to get local issuer certificate",
                  null));
        }
      }
      case "example.net" -> {
        failures.add(
            failure(
                "certificate-host-mismatch",
                ip,
                d.mx().get(1),
                d.ips().get(1),
                Math.max(1, Math.round(sessions * (0.06 + 0.04 * random.nextDouble()))),
                null,
                "certificate is for mail.example.net"));
        if (org.equals("Mail.ru") && random.nextBoolean()) {
          failures.add(
              failure(
                  "starttls-not-supported",
                  ip,
                  d.mx().get(1),
                  d.ips().get(1),
                  1 + random.nextInt(5),
                  "STARTTLS not offered",
                  null));
        }
      }
      case "shop.example.com" -> {
        // clean: ready for enforce
      }
      default -> {
        if (ago == 19 || ago == 20) {
          failures.add(
              failure(
                  "tlsa-invalid",
                  ip,
                  d.mx().get(0),
                  d.ips().get(0),
                  Math.round(sessions * (0.15 + 0.1 * random.nextDouble())),
                  null,
                  "no TLSA record matches the certificate (key rolled over before the record)"));
        }
      }
    }
    ObjectNode p = policies.addObject();
    ObjectNode policy = p.putObject("policy");
    policy.put("policy-type", d.type());
    ArrayNode strings = policy.putArray("policy-string");
    if (d.type().equals("sts")) {
      strings.add("version: STSv1").add("mode: " + d.mode());
      d.mx().forEach(mx -> strings.add("mx: " + mx));
      strings.add("max_age: 604800");
      ArrayNode mxHosts = policy.putArray("mx-host");
      d.mx().forEach(mxHosts::add);
    } else {
      strings.add("3 1 1 8A2D1F3C6B5E4F7A9C0D2E1F3A5B7C9D1E3F5A7B9C1D3E5F7A9B1C3D5E7F9A1B");
    }
    policy.put("policy-domain", d.name());
    long failedSessions =
        failures.stream().mapToLong(f -> f.get("failed-session-count").asLong()).sum();
    summary(p, Math.max(0, sessions - failedSessions), failures);
    return report;
  }

  private static void summary(ObjectNode p, long successful, List<ObjectNode> failures) {
    ObjectNode summary = p.putObject("summary");
    summary.put("total-successful-session-count", successful);
    summary.put(
        "total-failure-session-count",
        failures.stream().mapToLong(f -> f.get("failed-session-count").asLong()).sum());
    if (!failures.isEmpty()) {
      p.putArray("failure-details").addAll(failures);
    }
  }

  private static ObjectNode failure(
      String resultType,
      String sendingIp,
      String mx,
      String receivingIp,
      long sessions,
      String reasonCode,
      String info) {
    ObjectNode f = DemoJson.MAPPER.createObjectNode();
    f.put("result-type", resultType);
    f.put("sending-mta-ip", sendingIp);
    f.put("receiving-mx-hostname", mx);
    f.put("receiving-ip", receivingIp);
    f.put("failed-session-count", Math.max(1, sessions));
    if (reasonCode != null) {
      f.put("failure-reason-code", reasonCode);
    }
    if (info != null) {
      f.put("additional-information", info);
    }
    return f;
  }
}

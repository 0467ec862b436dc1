package org.tlsrpt.alerting;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.http.JsonText;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.PolicyType;
import org.tlsrpt.parser.model.StsMode;
import org.tlsrpt.parser.model.TlsReport;
import org.tlsrpt.storage.QueryRows;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The in-app alerting: evaluates each batch of newly stored reports for failures under an
 * enforce-mode policy (or DANE, which is always enforced), and on a schedule the rules that need
 * history (failure rate above its 7-day baseline, a daily reporter gone silent, a spike in rejected
 * inputs, and enforce failures not alerted yet). An alert goes to every configured channel and is
 * recorded in the {@code alerts} table; the same (rule, key) is not sent again within the cooldown,
 * which the table carries across restarts.
 */
public final class AlertEngine implements ReportStore.StoredListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

  /** Thresholds and timing of the rules. */
  public record Options(
      Duration cooldown,
      int baselinePercent,
      long minSessions,
      int silenceDays,
      long rejectedSpike,
      String dashboardUrl) {}

  private final ClickHouse ch;
  private final String db;
  private final org.tlsrpt.storage.Summaries summaries;
  private final List<Notifier> notifiers;
  private final Options options;
  private final Clock clock;
  private final Map<String, Instant> lastFired = new ConcurrentHashMap<>();

  /** Rules whose key names its window: sent once per key, not again after the cooldown. */
  private static final java.util.Set<String> ONCE_PER_KEY =
      java.util.Set.of(
          "failure_rate", "reporter_silent", "posture_certificate_expiry", "posture_dnssec_expiry");

  private final java.util.concurrent.ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("tlsrpt-alerts").daemon().unstarted(r));
  private final LongAdder fired = new LongAdder();
  private final LongAdder suppressed = new LongAdder();
  private final LongAdder deliveryFailures = new LongAdder();

  public AlertEngine(
      ClickHouse ch, String db, List<Notifier> notifiers, Options options, Clock clock) {
    this.ch = ch;
    this.db = db;
    this.summaries = new org.tlsrpt.storage.Summaries(ch, db);
    this.notifiers = List.copyOf(notifiers);
    this.options = options;
    this.clock = clock;
    loadCooldowns();
  }

  /** What each (rule, key) last fired, from the alert history: the cooldown survives restarts. */
  private void loadCooldowns() {
    for (Map<String, Object> r :
        rows(
            "SELECT rule, alert_key, toUnixTimestamp64Milli(max(fired_at)) AS at FROM "
                + db
                + ".alerts WHERE delivery NOT LIKE 'failed%' GROUP BY rule, alert_key")) {
      lastFired.put(
          QueryRows.str(r, "rule") + "|" + QueryRows.str(r, "alert_key"),
          Instant.ofEpochMilli(QueryRows.num(r, "at")));
    }
  }

  // ---------------------------------------------------------------- as reports are stored

  @Override
  public void stored(List<ParsedReport> fresh) {
    // found here (cheap), sent on the alert thread: the queue holds small alerts, not reports
    List<Alert> found;
    try {
      found = enforceFailures(fresh);
    } catch (RuntimeException e) {
      LOG.warn("could not evaluate the alert rules on new reports: {}", e.toString());
      return;
    }
    if (found.isEmpty()) {
      return;
    }
    worker.execute(
        () -> {
          for (Alert a : found) {
            try {
              fire(a);
            } catch (RuntimeException e) {
              LOG.warn("could not send an alert: {}", e.toString());
            }
          }
        });
  }

  /** One alert per (policy domain, organization, result type) failing under an enforced policy. */
  List<Alert> enforceFailures(List<ParsedReport> reports) {
    Map<String, AccState> acc = new LinkedHashMap<>();
    for (ParsedReport pr : reports) {
      TlsReport r = pr.report();
      for (PolicyResult p : r.policies()) {
        String mode = enforcedMode(p);
        if (mode == null || p.failedSessions() == 0) {
          continue;
        }
        String domain = p.policyDomain() == null ? "" : p.policyDomain();
        if (p.failures().isEmpty()) {
          acc.computeIfAbsent(
                  domain + "|" + r.organizationName() + "|unspecified",
                  k -> new AccState(domain, r.organizationName(), mode, "unspecified"))
              .add(null, p.failedSessions(), r);
        }
        for (FailureDetail f : p.failures()) {
          String result = f.resultType().wire();
          acc.computeIfAbsent(
                  domain + "|" + r.organizationName() + "|" + result,
                  k -> new AccState(domain, r.organizationName(), mode, result))
              .add(f.receivingMxHostname(), f.failedSessionCount(), r);
        }
      }
    }
    List<Alert> out = new ArrayList<>();
    for (AccState a : acc.values()) {
      out.add(
          enforceAlert(
              a.domain, a.org, a.mode, a.result, List.copyOf(a.mx), a.failed, a.start, a.end));
    }
    return out;
  }

  /** Failures of one (domain, organization, result type) in a batch. */
  private static final class AccState {
    final String domain;
    final String org;
    final String mode;
    final String result;
    final TreeSet<String> mx = new TreeSet<>();
    long failed;
    Instant start;
    Instant end;

    AccState(String domain, String org, String mode, String result) {
      this.domain = domain;
      this.org = org;
      this.mode = mode;
      this.result = result;
    }

    void add(String mxHost, long sessions, TlsReport r) {
      if (mxHost != null && !mxHost.isBlank()) {
        mx.add(mxHost);
      }
      failed += sessions;
      Instant s = r.dateRange().start();
      Instant e = r.dateRange().end();
      start = start == null || s.isBefore(start) ? s : start;
      end = end == null || e.isAfter(end) ? e : end;
    }
  }

  /** "enforce" for an STS policy in enforce mode, "dane" for TLSA; null when nothing is refused. */
  private static String enforcedMode(PolicyResult p) {
    if (p.policyType().known() == PolicyType.Known.TLSA) {
      return "dane";
    }
    return p.mode() == StsMode.ENFORCE ? "enforce" : null;
  }

  private Alert enforceAlert(
      String domain,
      String org,
      String mode,
      String result,
      List<String> mx,
      long failed,
      Instant start,
      Instant end) {
    return new Alert(
        "enforce_failures",
        domain + "|" + org + "|" + result,
        domain,
        org,
        mode,
        List.of(result),
        mx,
        failed,
        start,
        end,
        String.format(
            "%s: %,d session(s) from %s failed (%s) under the %s policy: that mail is refused",
            domain, failed, org, result, mode),
        link(domain, org));
  }

  // ---------------------------------------------------------------- on a schedule

  /** Runs the scheduled rules every {@code every} (none when zero), the first time at once. */
  public AlertEngine start(Duration every) {
    if (!every.isZero()) {
      worker.scheduleWithFixedDelay(
          () -> {
            try {
              check();
            } catch (RuntimeException e) {
              LOG.warn("could not run the scheduled alert rules: {}", e.toString());
            }
          },
          0,
          every.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Runs the scheduled rules now (the caller's thread); returns the alerts sent. */
  public synchronized List<Alert> check() {
    summaries.refresh(); // the rules read the daily summary
    List<Alert> sent = new ArrayList<>();
    List<Alert> candidates = new ArrayList<>();
    candidates.addAll(recentEnforceFailures());
    candidates.addAll(failureRateAboveBaseline());
    candidates.addAll(silentReporters());
    candidates.addAll(rejectedSpike());
    for (Alert a : candidates) {
      if (fire(a)) {
        sent.add(a);
      }
    }
    return sent;
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** The daily summary's current rows from {@code since} (as Summaries reads them). */
  private String summary(LocalDate since) {
    return db + ".daily_summary" + summaries.current(since, null);
  }

  /** Enforce failures of the last two days, by the summary (a safety net for missed batches). */
  List<Alert> recentEnforceFailures() {
    LocalDate since = today().minusDays(2);
    List<Alert> out = new ArrayList<>();
    for (Map<String, Object> r :
        rows(
            "SELECT policy_domain, organization, if(policy_type = 'tlsa', 'dane', 'enforce') AS m,"
                + " result_type, sum(failed) AS f, arraySort(groupUniqArrayIf(mx_host, mx_host !="
                + " '')) AS mx, toString(min(day)) AS d0, toString(max(day)) AS d1 FROM "
                + summary(since)
                + " AND result_type != '' AND (mode = 'enforce' OR policy_type = 'tlsa')"
                + " GROUP BY policy_domain, organization, m, result_type HAVING f > 0")) {
      List<String> mx = new ArrayList<>();
      mx.addAll(QueryRows.strings(r, "mx"));
      String key =
          QueryRows.str(r, "policy_domain")
              + "|"
              + QueryRows.str(r, "organization")
              + "|"
              + QueryRows.str(r, "result_type");
      if (alertedSince(key, dayStart(QueryRows.str(r, "d0")))) {
        continue; // already alerted when those reports were stored: not again every cooldown
      }
      out.add(
          enforceAlert(
              QueryRows.str(r, "policy_domain"),
              QueryRows.str(r, "organization"),
              QueryRows.str(r, "m"),
              QueryRows.str(r, "result_type"),
              mx,
              QueryRows.num(r, "f"),
              dayStart(QueryRows.str(r, "d0")),
              dayStart(QueryRows.str(r, "d1")).plus(Duration.ofDays(1)).minusMillis(1)));
    }
    return out;
  }

  /** Yesterday's failure rate per domain against the 7 days before it. */
  List<Alert> failureRateAboveBaseline() {
    LocalDate day = today().minusDays(1);
    LocalDate from = day.minusDays(7);
    List<Alert> out = new ArrayList<>();
    for (Map<String, Object> r :
        rows(
            "SELECT policy_domain, sumIf(failed, day = '"
                + day
                + "') AS f, sumIf(successful + failed, day = '"
                + day
                + "') AS n, sumIf(failed, day < '"
                + day
                + "') AS bf, sumIf(successful + failed, day < '"
                + day
                + "') AS bn, arrayStringConcat(arraySort(groupUniqArrayIf(mode, mode != '')), ',')"
                + " AS modes FROM "
                + summary(from)
                + " AND day <= '"
                + day
                + "' AND result_type = '' GROUP BY policy_domain HAVING n >= "
                + options.minSessions()
                + " AND bn > 0")) {
      double rate = QueryRows.dbl(r, "f") / QueryRows.dbl(r, "n");
      double base = QueryRows.dbl(r, "bf") / QueryRows.dbl(r, "bn");
      if (rate * 100 < base * options.baselinePercent() || rate - base < 0.01) {
        continue;
      }
      String domain = QueryRows.str(r, "policy_domain");
      out.add(
          new Alert(
              "failure_rate",
              domain + "|" + day, // one alert per domain and day, however often it is checked
              domain,
              "",
              QueryRows.str(r, "modes"),
              List.of(),
              List.of(),
              QueryRows.num(r, "f"),
              dayStart(day.toString()),
              dayStart(day.toString()).plus(Duration.ofDays(1)).minusMillis(1),
              String.format(
                  "%s: %.1f%% of sessions failed on %s, against %.1f%% over the 7 days before",
                  domain, rate * 100, day, base * 100),
              link(domain, null)));
    }
    return out;
  }

  /** Organizations that reported on 5 of the 7 days before the silence window, and not since. */
  List<Alert> silentReporters() {
    LocalDate quietFrom = today().minusDays(options.silenceDays());
    LocalDate activeFrom = quietFrom.minusDays(7);
    List<Alert> out = new ArrayList<>();
    for (Map<String, Object> r :
        rows(
            "SELECT organization, toString(max(day)) AS last, uniqExactIf(day, day < '"
                + quietFrom
                + "') AS active FROM "
                + summary(activeFrom)
                + " AND result_type = '' GROUP BY organization HAVING active >= 5 AND max(day) < '"
                + quietFrom
                + "'")) {
      String org = QueryRows.str(r, "organization");
      out.add(
          new Alert(
              "reporter_silent",
              org + "|" + QueryRows.str(r, "last"), // once per silence, not every cooldown
              "",
              org,
              "",
              List.of(),
              List.of(),
              0,
              dayStart(QueryRows.str(r, "last")).plus(Duration.ofDays(1)),
              clock.instant(),
              String.format(
                  "%s sent daily reports until %s and none since: its reports may be going astray",
                  org, QueryRows.str(r, "last")),
              link(null, org)));
    }
    return out;
  }

  /** Rejected inputs in the last hour against the hourly average of the 24 hours before. */
  List<Alert> rejectedSpike() {
    Instant now = clock.instant();
    Instant hourAgo = now.minus(Duration.ofHours(1));
    Instant dayAgo = hourAgo.minus(Duration.ofHours(24));
    Map<String, Object> r =
        rows("SELECT countIf(received_at >= "
                + time(hourAgo)
                + ") AS recent, countIf(received_at < "
                + time(hourAgo)
                + ") AS before FROM "
                + db
                + ".raw_inputs FINAL WHERE status = 'rejected' AND received_at >= "
                + time(dayAgo)
                + " AND received_at <= "
                + time(now))
            .getFirst();
    long recent = QueryRows.num(r, "recent");
    double hourly = QueryRows.dbl(r, "before") / 24;
    if (recent < options.rejectedSpike() || recent <= 3 * hourly) {
      return List.of();
    }
    return List.of(
        new Alert(
            "rejected_spike",
            "",
            "",
            "",
            "",
            List.of(),
            List.of(),
            0,
            hourAgo,
            now,
            String.format(
                "%d inputs were rejected in the last hour (%.1f an hour before): see the rejected"
                    + " inputs and their reasons",
                recent, hourly),
            options.dashboardUrl() + "#rejected"));
  }

  // ---------------------------------------------------------------- sending

  /**
   * Sends an alert unless its (rule, key) is cooling down (or, for rules whose key names its
   * window, was sent before); records it. True when sent. Other parts of tlsrpt (the posture watch)
   * raise their alerts through here, so they share the channels and the history.
   */
  public synchronized boolean fire(Alert a) {
    String k = a.rule() + "|" + a.key();
    Instant now = clock.instant();
    Instant last = lastFired.get(k);
    if (last == null || Duration.between(last, now).compareTo(options.cooldown()) >= 0) {
      last = lastInHistory(a); // another worker sharing the store may have sent it meanwhile
    }
    if (last != null && ONCE_PER_KEY.contains(a.rule())) {
      // the key names the day (failure rate) or the silence (reporter): said once is enough
      lastFired.put(k, last);
      suppressed.increment();
      return false;
    }
    if (last != null && Duration.between(last, now).compareTo(options.cooldown()) < 0) {
      lastFired.put(k, last);
      suppressed.increment();
      return false;
    }
    List<String> channels = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Notifier n : notifiers) {
      channels.add(n.name());
      try {
        n.send(a);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt(); // recorded as not delivered; the flag stays set
        }
        deliveryFailures.increment();
        failures.add(n.name() + ": " + e.getMessage());
        LOG.warn("could not send the alert '{}' by {}: {}", a.message(), n.name(), e.toString());
      }
    }
    String delivery =
        notifiers.isEmpty()
            ? "no channel configured"
            : failures.isEmpty()
                ? "sent"
                : failures.size() == notifiers.size()
                    ? "failed: " + String.join("; ", failures)
                    : "partly sent; " + String.join("; ", failures);
    record(a, now, channels, delivery);
    if (!delivery.startsWith("failed")) {
      lastFired.put(k, now); // a failed delivery is tried again at the next evaluation
      fired.increment();
      LOG.info("alert: {} ({})", a.message(), delivery);
      return true;
    }
    return false;
  }

  /** Whether an enforce alert for {@code key} covering days from {@code from} was delivered. */
  private boolean alertedSince(String key, Instant from) {
    List<Map<String, Object>> r =
        rows(
            "SELECT count() AS n FROM "
                + db
                + ".alerts WHERE rule = 'enforce_failures' AND alert_key = "
                + QueryRows.literal(key)
                + " AND window_end >= "
                + time(from)
                + " AND delivery NOT LIKE 'failed%'");
    return !r.isEmpty() && QueryRows.num(r.getFirst(), "n") > 0;
  }

  private Instant lastInHistory(Alert a) {
    try {
      List<Map<String, Object>> r =
          rows(
              "SELECT toUnixTimestamp64Milli(max(fired_at)) AS at, count() AS n FROM "
                  + db
                  + ".alerts WHERE rule = "
                  + QueryRows.literal(a.rule())
                  + " AND alert_key = "
                  + QueryRows.literal(a.key())
                  + " AND delivery NOT LIKE 'failed%'");
      return r.isEmpty() || QueryRows.num(r.getFirst(), "n") == 0
          ? null
          : Instant.ofEpochMilli(QueryRows.num(r.getFirst(), "at"));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void record(Alert a, Instant at, List<String> channels, String delivery) {
    String row =
        "{\"fired_at\":"
            + millis(at)
            + ",\"rule\":"
            + q(a.rule())
            + ",\"alert_key\":"
            + q(a.key())
            + ",\"policy_domain\":"
            + q(a.policyDomain())
            + ",\"organization\":"
            + q(a.organization())
            + ",\"mode\":"
            + q(a.mode())
            + ",\"result_types\":"
            + arr(a.resultTypes())
            + ",\"mx_hosts\":"
            + arr(a.mxHosts())
            + ",\"failed_sessions\":"
            + a.failedSessions()
            + ",\"window_start\":"
            + millis(a.windowStart())
            + ",\"window_end\":"
            + millis(a.windowEnd())
            + ",\"message\":"
            + q(a.message())
            + ",\"channels\":"
            + arr(channels)
            + ",\"delivery\":"
            + q(delivery)
            + "}\n";
    try {
      ch.insert(db + ".alerts", "JSONEachRow", row.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LOG.warn("could not record the alert in the history: {}", e.toString());
    }
  }

  private static final java.time.format.DateTimeFormatter CH_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
          .withZone(ZoneOffset.UTC);

  /** A DateTime64(3, 'UTC') value as JSONEachRow reads it. */
  private static String millis(Instant t) {
    return "\"" + CH_TIME.format(t) + "\"";
  }

  private static String q(String s) {
    return "\"" + JsonText.escape(s == null ? "" : s) + "\"";
  }

  private static String arr(List<String> xs) {
    StringBuilder b = new StringBuilder("[");
    for (String x : xs) {
      b.append(b.length() > 1 ? "," : "").append(q(x));
    }
    return b.append(']').toString();
  }

  private String link(String domain, String org) {
    StringBuilder b = new StringBuilder(options.dashboardUrl());
    String sep = "?";
    if (domain != null && !domain.isEmpty()) {
      b.append(sep).append("domain=").append(URLEncoder.encode(domain, StandardCharsets.UTF_8));
      sep = "&";
    }
    if (org != null && !org.isEmpty()) {
      b.append(sep).append("org=").append(URLEncoder.encode(org, StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  private static Instant dayStart(String day) {
    return LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static String time(Instant t) {
    return "toDateTime64(" + t.toEpochMilli() / 1000.0 + ", 3, 'UTC')";
  }

  private List<Map<String, Object>> rows(String sql) {
    return QueryRows.query(ch, sql);
  }

  /** Alerts sent since start. */
  public long fired() {
    return fired.sum();
  }

  /** Alerts not sent because their (rule, key) was cooling down. */
  public long suppressed() {
    return suppressed.sum();
  }

  public long deliveryFailures() {
    return deliveryFailures.sum();
  }

  /** Waits for the evaluations already handed in; for tests and shutdown. */
  public void drain() throws InterruptedException {
    try {
      worker.submit(() -> {}).get(1, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the alert evaluations did not finish", e);
    }
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

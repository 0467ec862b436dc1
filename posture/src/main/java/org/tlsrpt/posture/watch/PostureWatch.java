package org.tlsrpt.posture.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.alerting.AlertEngine;
import org.tlsrpt.alerting.AlertRule;
import org.tlsrpt.alerting.JobLease;
import org.tlsrpt.posture.CheckResult;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.PostureChecker;
import org.tlsrpt.posture.Status;
import org.tlsrpt.storage.Alert;
import org.tlsrpt.storage.PostureHistory;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * Runs {@code tlsrpt check} for the watched domains on a schedule, stores every finding in {@code
 * posture_findings}, and alerts through the alert engine when a check turns to FAIL (it was not
 * failing in the run before; a TLSA mismatch and bogus DNSSEC under their own rule), when a
 * certificate or a DNSSEC signature is about to expire (once per certificate or signature), and
 * when MX records and the policy drift apart.
 */
public final class PostureWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostureWatch.class);

  private final List<String> domains;
  private final PostureChecker checker;
  private final PostureHistory history;
  private final AlertEngine alerts;
  private final String dashboardUrl;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("tlsrpt-posture-watch").daemon().unstarted(r));

  public PostureWatch(
      List<String> domains,
      PostureChecker checker,
      ClickHouse ch,
      String db,
      AlertEngine alerts,
      String dashboardUrl) {
    this.domains = List.copyOf(domains);
    this.checker = checker;
    this.history = new PostureHistory(ch, db);
    this.alerts = alerts;
    this.dashboardUrl = dashboardUrl;
  }

  /** Checks every {@code every}, the first time at once. */
  public PostureWatch start(Duration every) {
    return start(every, JobLease.SOLE);
  }

  /**
   * Checks every {@code every} while this process holds {@code lease} (at once, then on each tick),
   * and at once whenever it takes the lease over: among several workers, one stores the runs.
   */
  public PostureWatch start(Duration every, JobLease lease) {
    Runnable run =
        () -> {
          if (!lease.held()) {
            return; // another worker checks
          }
          try {
            runOnce();
          } catch (RuntimeException e) {
            LOG.warn("the posture check failed: {}", e.toString());
          }
        };
    timer.scheduleWithFixedDelay(run, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    lease.whenTaken(() -> timer.execute(run));
    return this;
  }

  /** Checks each domain now, stores the findings and raises the alerts; returns the results. */
  public synchronized List<CheckResult> runOnce() {
    List<CheckResult> out = new ArrayList<>();
    for (String d : domains) {
      CheckResult r = checker.check(d);
      Map<String, String> before = previous(r.domain());
      store(r);
      for (Alert a : alerts(r, before)) {
        alerts.fire(a);
      }
      LOG.info(
          "posture check of {}: {} ({} failing, {} warning)",
          r.domain(),
          r.status(),
          r.count(Status.FAIL),
          r.count(Status.WARN));
      out.add(r);
    }
    return out;
  }

  /** Status per (finding, subject) in the domain's newest stored run, before this one. */
  private Map<String, String> previous(String domain) {
    Map<String, String> m = new HashMap<>();
    for (PostureHistory.Finding f : history.newestRun(domain)) {
      m.put(f.finding() + "|" + f.subject(), f.status());
    }
    return m;
  }

  /** The alerts a run raises, given the statuses of the run before it. */
  List<Alert> alerts(CheckResult r, Map<String, String> before) {
    List<Alert> out = new ArrayList<>();
    for (Finding f : r.findings()) {
      String was = before.get(f.id() + "|" + f.subject());
      String link = dashboardUrl + "?domain=" + r.domain() + "#posture";
      if (f.id().endsWith("certificate_expiry")
          && (f.status() == Status.WARN || f.status() == Status.FAIL)) {
        out.add(
            alert(
                AlertRule.POSTURE_CERTIFICATE_EXPIRY,
                r.domain()
                    + "|"
                    + f.id()
                    + "|"
                    + f.subject()
                    + "|"
                    + f.facts().getOrDefault("not_after", "")
                    + "|"
                    + f.status(), // once when it comes close, once when it has expired
                r,
                f,
                link));
      } else if (f.id().equals("cross.mx_not_covered")) {
        if ((f.status() == Status.WARN || f.status() == Status.FAIL)
            && !f.status().name().equals(was)) {
          // keyed by the uncovered hosts: another drift later is said again
          out.add(
              alert(
                  AlertRule.POSTURE_DRIFT,
                  r.domain() + "|" + f.facts().getOrDefault("uncovered", f.subject()),
                  r,
                  f,
                  link));
        }
      } else if (f.id().equals("dane.signature_expiry")
          && (f.status() == Status.WARN || f.status() == Status.FAIL)) {
        // once per signature: a re-signed zone that comes close again is said again
        out.add(
            alert(
                AlertRule.POSTURE_DNSSEC_EXPIRY,
                r.domain() + "|" + f.id() + "|" + f.facts().getOrDefault("expires", ""),
                r,
                f,
                link));
      } else if ((f.id().equals("dane.tlsa_match") || f.id().equals("dane.dnssec"))
          && f.status() == Status.FAIL) {
        if (!"FAIL".equals(was)) { // a TLSA mismatch or bogus DNSSEC: once when it starts
          out.add(
              alert(
                  AlertRule.POSTURE_DANE,
                  r.domain() + "|" + f.id() + "|" + f.subject(),
                  r,
                  f,
                  link));
        }
      } else if (f.id().equals("mx.policy_match")) {
        continue; // the same drift, per MX: cross.mx_not_covered says it once
      } else if (f.status() == Status.FAIL && !"FAIL".equals(was)) {
        out.add(
            alert(
                AlertRule.POSTURE_FAIL, r.domain() + "|" + f.id() + "|" + f.subject(), r, f, link));
      }
    }
    return out;
  }

  private static Alert alert(AlertRule rule, String key, CheckResult r, Finding f, String link) {
    return new Alert(
        rule.wire(),
        key,
        r.domain(),
        "",
        f.facts().getOrDefault("mode", ""),
        List.of(f.id()),
        f.id().startsWith("mx.") || f.id().startsWith("dane.tlsa")
            ? List.of(f.subject())
            : List.of(),
        0,
        r.checkedAt(),
        r.checkedAt(),
        r.domain()
            + ": "
            + f.id()
            + " "
            + f.status().name().toLowerCase(java.util.Locale.ROOT)
            + " for "
            + f.subject()
            + ": "
            + f.message()
            + (f.remedy().isEmpty() ? "" : " What to do: " + f.remedy()),
        link);
  }

  private void store(CheckResult r) {
    List<PostureHistory.Finding> run = new ArrayList<>();
    for (Finding f : r.findings()) {
      run.add(
          new PostureHistory.Finding(
              r.domain(),
              r.checkedAt(),
              f.id(),
              f.status().name(),
              f.subject(),
              f.message(),
              f.remedy(),
              f.facts()));
    }
    history.record(run);
  }

  /** When the newest run of a domain was stored, or null. */
  Instant lastRun(String domain) {
    return history.lastRun(domain).orElse(null);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

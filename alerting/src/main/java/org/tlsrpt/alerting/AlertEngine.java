package org.tlsrpt.alerting;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.storage.Alert;
import org.tlsrpt.storage.AlertHistory;
import org.tlsrpt.storage.AlertRuleQueries;
import org.tlsrpt.storage.ReportStore;
import org.tlsrpt.storage.Summaries;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The in-app alerting: evaluates each batch of newly stored reports for failures under an
 * enforce-mode policy (or DANE, which is always enforced: {@link EnforceFailures}), and on a
 * schedule the rules that need history ({@link ScheduledRules}: failure rate above its 7-day
 * baseline, a daily reporter gone silent, a spike in rejected inputs, and enforce failures not
 * alerted yet). An alert goes to every configured channel and is recorded in the alert history
 * ({@link AlertDelivery}); the same (rule, key) is not sent again within the cooldown, which the
 * history carries across restarts.
 */
public final class AlertEngine implements ReportStore.StoredListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

  private final Summaries summaries;
  private final EnforceFailures enforce;
  private final ScheduledRules scheduled;
  private final AlertDelivery delivery;

  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("tlsrpt-alerts").daemon().unstarted(r));

  public AlertEngine(
      ClickHouse ch, String db, List<Notifier> notifiers, AlertOptions options, Clock clock) {
    this.summaries = new Summaries(ch, db);
    DashboardLink link = new DashboardLink(options.dashboardUrl());
    AlertHistory history = new AlertHistory(ch, db);
    this.enforce = new EnforceFailures(link);
    this.scheduled =
        new ScheduledRules(
            new AlertRuleQueries(ch, db, summaries), history, enforce, link, options, clock);
    this.delivery = new AlertDelivery(history, notifiers, options.cooldown(), clock);
  }

  // ---------------------------------------------------------------- as reports are stored

  @Override
  public void stored(List<ParsedReport> fresh) {
    // found here (cheap), sent on the alert thread: the queue holds small alerts, not reports
    List<Alert> found;
    try {
      found = enforce.in(fresh);
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

  // ---------------------------------------------------------------- on a schedule

  /** Runs the scheduled rules every {@code every} (none when zero), the first time at once. */
  public AlertEngine start(Duration every) {
    return start(every, JobLease.SOLE);
  }

  /**
   * Runs the scheduled rules every {@code every} (none when zero) while this process holds {@code
   * lease}: at once, then on each tick; and at once again whenever it takes the lease over.
   */
  public AlertEngine start(Duration every, JobLease lease) {
    if (!every.isZero()) {
      Runnable run =
          () -> {
            if (!lease.held()) {
              return; // another worker runs them
            }
            try {
              check();
            } catch (RuntimeException e) {
              LOG.warn("could not run the scheduled alert rules: {}", e.toString());
            }
          };
      worker.scheduleWithFixedDelay(run, 0, every.toMillis(), TimeUnit.MILLISECONDS);
      lease.whenTaken(() -> worker.execute(run));
    }
    return this;
  }

  /** Runs the scheduled rules now (the caller's thread); returns the alerts sent. */
  public synchronized List<Alert> check() {
    summaries.refresh(); // the rules read the daily summary
    List<Alert> sent = new ArrayList<>();
    for (Alert a : scheduled.candidates()) {
      if (fire(a)) {
        sent.add(a);
      }
    }
    return sent;
  }

  // ---------------------------------------------------------------- sending

  /**
   * Sends an alert unless its (rule, key) is cooling down (or, for rules whose key names its
   * window, was sent before); records it. True when sent. Other parts of tlsrpt (the posture watch)
   * raise their alerts through here, so they share the channels and the history.
   */
  public boolean fire(Alert a) {
    return delivery.fire(a);
  }

  /** Alerts sent since start. */
  public long fired() {
    return delivery.fired.sum();
  }

  /** Alerts not sent because their (rule, key) was cooling down. */
  public long suppressed() {
    return delivery.suppressed.sum();
  }

  public long deliveryFailures() {
    return delivery.deliveryFailures.sum();
  }

  /** Waits for the evaluations already handed in; for tests and shutdown. */
  public void drain() throws InterruptedException {
    try {
      worker.submit(() -> {}).get(1, TimeUnit.MINUTES);
    } catch (ExecutionException | TimeoutException e) {
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

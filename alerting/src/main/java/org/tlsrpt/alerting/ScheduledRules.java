package org.tlsrpt.alerting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.tlsrpt.storage.Alert;
import org.tlsrpt.storage.AlertHistory;
import org.tlsrpt.storage.AlertRuleQueries;

/**
 * The rules that need history, judged on a schedule over the daily summary and the inputs: enforce
 * failures not alerted yet, a failure rate above its 7-day baseline, a daily reporter gone silent,
 * and a spike in rejected inputs.
 */
final class ScheduledRules {
  /** Days of the 7 before the silence on which an organization must have reported. */
  private static final int ACTIVE_DAYS = 5;

  private final AlertRuleQueries figures;
  private final AlertHistory history;
  private final EnforceFailures enforce;
  private final DashboardLink link;
  private final AlertOptions options;
  private final Clock clock;

  ScheduledRules(
      AlertRuleQueries figures,
      AlertHistory history,
      EnforceFailures enforce,
      DashboardLink link,
      AlertOptions options,
      Clock clock) {
    this.figures = figures;
    this.history = history;
    this.enforce = enforce;
    this.link = link;
    this.options = options;
    this.clock = clock;
  }

  /** The alerts every rule raises now (the daily summary already brought up to date). */
  List<Alert> candidates() {
    List<Alert> out = new ArrayList<>();
    out.addAll(recentEnforceFailures());
    out.addAll(failureRateAboveBaseline());
    out.addAll(silentReporters());
    out.addAll(rejectedSpike());
    return out;
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** Enforce failures of the last two days, by the summary (a safety net for missed batches). */
  List<Alert> recentEnforceFailures() {
    List<Alert> out = new ArrayList<>();
    for (AlertRuleQueries.EnforceFailures f : figures.enforceFailures(today().minusDays(2))) {
      String key = EnforceFailures.key(f.policyDomain(), f.organization(), f.resultType());
      Instant first = dayStart(f.firstDay());
      if (history.deliveredWindowEndingFrom(
          new AlertHistory.RuleKey(EnforceFailures.RULE, key), first)) {
        continue; // already alerted when those reports were stored: not again every cooldown
      }
      out.add(
          enforce.alert(
              f.policyDomain(),
              f.organization(),
              f.mode(),
              f.resultType(),
              f.mxHosts(),
              f.failed(),
              first,
              dayEnd(f.lastDay())));
    }
    return out;
  }

  /** Yesterday's failure rate per domain against the 7 days before it. */
  List<Alert> failureRateAboveBaseline() {
    LocalDate day = today().minusDays(1);
    List<Alert> out = new ArrayList<>();
    for (AlertRuleQueries.DomainRate r :
        figures.failureRates(day, day.minusDays(7), options.minSessions())) {
      double rate = (double) r.failed() / r.sessions();
      double base = (double) r.baselineFailed() / r.baselineSessions();
      if (rate * 100 < base * options.baselinePercent() || rate - base < 0.01) {
        continue;
      }
      String domain = r.policyDomain();
      out.add(
          new Alert(
              AlertRule.FAILURE_RATE.wire(),
              domain + "|" + day, // one alert per domain and day, however often it is checked
              domain,
              "",
              r.modes(),
              List.of(),
              List.of(),
              r.failed(),
              dayStart(day),
              dayEnd(day),
              String.format(
                  "%s: %.1f%% of sessions failed on %s, against %.1f%% over the 7 days before",
                  domain, rate * 100, day, base * 100),
              link.to(domain, null)));
    }
    return out;
  }

  /** Organizations that reported on 5 of the 7 days before the silence window, and not since. */
  List<Alert> silentReporters() {
    LocalDate quietFrom = today().minusDays(options.silenceDays());
    List<Alert> out = new ArrayList<>();
    for (AlertRuleQueries.SilentReporter r :
        figures.silentReporters(quietFrom.minusDays(7), quietFrom, ACTIVE_DAYS)) {
      String org = r.organization();
      out.add(
          new Alert(
              AlertRule.REPORTER_SILENT.wire(),
              org + "|" + r.lastDay(), // once per silence, not every cooldown
              "",
              org,
              "",
              List.of(),
              List.of(),
              0,
              dayStart(r.lastDay().plusDays(1)),
              clock.instant(),
              String.format(
                  "%s sent daily reports until %s and none since: its reports may be going astray",
                  org, r.lastDay()),
              link.to(null, org)));
    }
    return out;
  }

  /** Rejected inputs in the last hour against the hourly average of the 24 hours before. */
  List<Alert> rejectedSpike() {
    Instant now = clock.instant();
    Instant hourAgo = now.minus(Duration.ofHours(1));
    AlertRuleQueries.Rejections r =
        figures.rejected(hourAgo.minus(Duration.ofHours(24)), hourAgo, now);
    double hourly = r.before() / 24.0;
    if (r.recent() < options.rejectedSpike() || r.recent() <= 3 * hourly) {
      return List.of();
    }
    return List.of(
        new Alert(
            AlertRule.REJECTED_SPIKE.wire(),
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
                r.recent(), hourly),
            link.section("#rejected")));
  }

  private static Instant dayStart(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The last millisecond of {@code day}. */
  private static Instant dayEnd(LocalDate day) {
    return dayStart(day).plus(Duration.ofDays(1)).minusMillis(1);
  }
}

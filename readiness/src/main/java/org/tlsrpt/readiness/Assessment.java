package org.tlsrpt.readiness;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.tlsrpt.storage.PostureHistory;
import org.tlsrpt.storage.ReadinessQueries;

/**
 * The readiness of one policy domain over a window: the verdict, its reasons, and the figures
 * behind it.
 *
 * @param mode the sts mode the domain was reported in last ({@code testing} or {@code enforce}), or
 *     {@code unknown} for a domain asked for that no report names
 * @param summary the verdict as one sentence
 * @param reasons for {@link Verdict#NOT_READY} the blocking reasons, for {@link
 *     Verdict#NOT_ENOUGH_DATA} what is missing, for an enforce domain what it loses; empty when
 *     ready
 * @param notes what the verdict did not weigh but a reader should know
 * @param daily sessions per day with reports, oldest first
 * @param trend {@code no failures}, {@code shrinking}, {@code growing} or {@code steady}: the
 *     failure share of the newer half of the days against the older half
 * @param failures failed (testing) or refused (enforce) sessions by sending organization, MX host
 *     and result type, most first; failures a reporter counted without details are {@code
 *     unspecified}
 * @param senders failed sessions per sending organization, with its sessions
 * @param mxHosts failed sessions per MX host ("" when unnamed)
 * @param resultTypes failed sessions per result type
 * @param posture the findings of the newest posture check that block enforce
 * @param postureCheckedAt when the newest posture check ran, or null when none is stored
 */
public record Assessment(
    String domain,
    String mode,
    LocalDate since,
    Verdict verdict,
    String summary,
    List<Reason> reasons,
    List<String> notes,
    long sessions,
    long failed,
    List<ReadinessQueries.Day> daily,
    String trend,
    List<ReadinessQueries.FailureGroup> failures,
    List<Split> senders,
    List<Split> mxHosts,
    List<Split> resultTypes,
    List<ReporterState> reporters,
    List<PostureHistory.Finding> posture,
    Instant postureCheckedAt) {

  public Assessment {
    reasons = List.copyOf(reasons);
    notes = List.copyOf(notes);
    daily = List.copyOf(daily);
    failures = List.copyOf(failures);
    senders = List.copyOf(senders);
    mxHosts = List.copyOf(mxHosts);
    resultTypes = List.copyOf(resultTypes);
    reporters = List.copyOf(reporters);
    posture = List.copyOf(posture);
  }

  /**
   * Failed sessions of one sender, MX host or result type.
   *
   * @param sessions all its sessions (senders), or null where only failures are counted
   */
  public record Split(String key, Long sessions, long failed) {}

  /**
   * A sending organization that reported on the domain in the window.
   *
   * @param silent whether its newest report is older than {@code readiness.silent_after_days}
   */
  public record ReporterState(
      String organization, LocalDate lastDay, long days, long sessions, boolean silent) {}

  /** The page that shows this assessment, relative to the dashboard. */
  public String detailLink() {
    return Links.detail(domain);
  }

  /** The dashboard's alert history of this domain, relative to the dashboard. */
  public String alertsLink() {
    return Links.alerts(domain);
  }
}

package org.tlsrpt.readiness;

import static org.tlsrpt.readiness.Sentences.count;
import static org.tlsrpt.readiness.Sentences.days;
import static org.tlsrpt.readiness.Sentences.share;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tlsrpt.storage.PostureHistory;
import org.tlsrpt.storage.ReadinessQueries.Evidence;
import org.tlsrpt.storage.ReadinessQueries.FailureGroup;
import org.tlsrpt.storage.ReadinessQueries.Reporter;

/**
 * The verdict on one domain from its evidence: pure, records in and an {@link Assessment} out
 * (docs/adr/0016-enforce-readiness-verdict.md).
 *
 * <p>A testing domain is <b>not ready</b> when one (sending organization, MX host, result type)
 * fails more than {@code readiness.max_failure_percent} of its sessions (or all failures together
 * do), when a reporter went silent, or when its newest posture check finds what would fail under
 * enforce; otherwise it has <b>not enough data</b> with fewer days, sessions or reporters still
 * reporting than the minimums; otherwise it is <b>ready</b>. An enforce domain is judged by the
 * share of sessions it refused.
 */
public final class ReadinessJudge {
  private final ReadinessSettings settings;

  public ReadinessJudge(ReadinessSettings settings) {
    this.settings = settings;
  }

  /** The assessment of {@code e} as of {@code today} (UTC), which silence is counted from. */
  public Assessment judge(Evidence e, LocalDate today) {
    long ok = e.days().stream().mapToLong(d -> d.successful()).sum();
    long failed = e.days().stream().mapToLong(d -> d.failed()).sum();
    long sessions = ok + failed;
    List<FailureGroup> groups = groups(e);
    List<Assessment.ReporterState> reporters = new ArrayList<>();
    for (Reporter r : e.reporters()) {
      reporters.add(
          new Assessment.ReporterState(
              r.organization(),
              r.lastDay(),
              r.days(),
              r.successful() + r.failed(),
              ChronoUnit.DAYS.between(r.lastDay(), today) > settings.silentAfterDays()));
    }
    boolean enforce = e.mode().equals("enforce");
    List<PostureHistory.Finding> posture =
        e.posture().stream().filter(PostureFindings::blocksEnforce).toList();
    List<Reason> blocking = new ArrayList<>();
    for (FailureGroup g : groups) {
      if (settings.above(g.sessions(), sessions)) {
        blocking.add(Sentences.failure(g, sessions, enforce, e.domain()));
      }
    }
    if (blocking.isEmpty() && settings.above(failed, sessions)) {
      blocking.add(
          new Reason(
              Reason.FAILURES,
              count(failed)
                  + " of "
                  + count(sessions)
                  + " sessions ("
                  + share(failed, sessions)
                  + (enforce ? ") refused" : ") failed")
                  + ", none of one sender, MX host and result type above "
                  + settings.maxShare()
                  + " alone",
              "read the failure details of " + e.domain() + " (dashboard, Failure details)"));
    }
    List<String> notes = new ArrayList<>();
    if (e.posture().isEmpty()) {
      notes.add(
          "no posture check stored for "
              + e.domain()
              + ": add it to check.domains to have its MX hosts, certificates and policy file"
              + " checked too");
    }
    Verdict verdict;
    String summary;
    List<Reason> reasons;
    if (enforce) {
      blocking.addAll(posture.stream().map(Sentences::posture).toList());
      reasons = blocking;
      // little evidence does not change what was refused, but the reader should weigh it
      long active = reporters.stream().filter(r -> !r.silent()).count();
      missing(e.days().size(), sessions, active).forEach(m -> notes.add(m.text()));
      boolean losing = settings.above(failed, sessions);
      verdict = losing ? Verdict.ENFORCED_LOSING_MAIL : Verdict.ENFORCED;
      summary =
          e.domain()
              + (losing ? " enforces its policy and loses mail: " : " enforces its policy: ")
              + count(failed)
              + " of "
              + count(sessions)
              + " sessions refused ("
              + share(failed, sessions)
              + (losing
                  ? "), above the "
                      + settings.maxShare()
                      + " allowed: going back to testing"
                      + " would have been warranted"
                  : "), within the "
                      + settings.maxShare()
                      + " allowed: staying in enforce is"
                      + " right");
    } else {
      for (Assessment.ReporterState r : reporters) {
        if (r.silent()) {
          blocking.add(
              Sentences.silent(r, ChronoUnit.DAYS.between(r.lastDay(), today), e.domain()));
        }
      }
      blocking.addAll(posture.stream().map(Sentences::posture).toList());
      long active = reporters.stream().filter(r -> !r.silent()).count();
      List<Reason> missing = missing(e.days().size(), sessions, active);
      String evidence =
          count(sessions)
              + " sessions over "
              + days(e.days().size())
              + " from "
              + count(active)
              + (active == 1 ? " reporter" : " reporters");
      if (!blocking.isEmpty()) {
        verdict = Verdict.NOT_READY;
        reasons = blocking;
        missing.forEach(m -> notes.add(m.text()));
        summary =
            e.domain()
                + " is not ready for mode: enforce: "
                + blocking.size()
                + (blocking.size() == 1 ? " blocking reason" : " blocking reasons");
      } else if (!missing.isEmpty()) {
        verdict = Verdict.NOT_ENOUGH_DATA;
        reasons = missing;
        summary = e.domain() + ": not enough data to judge (" + evidence + ")";
      } else {
        verdict = Verdict.READY;
        reasons = List.of();
        summary =
            e.domain()
                + " can move to mode: enforce: "
                + count(failed)
                + " of "
                + count(sessions)
                + " sessions failed ("
                + share(failed, sessions)
                + ", at most "
                + settings.maxShare()
                + " allowed) over "
                + days(e.days().size())
                + " from "
                + count(active)
                + " reporters";
      }
    }
    return new Assessment(
        e.domain(),
        e.mode(),
        e.since(),
        verdict,
        summary,
        reasons,
        notes,
        sessions,
        failed,
        e.days(),
        Trend.of(e.days()),
        groups,
        senders(e),
        split(groups, FailureGroup::mxHost),
        split(groups, FailureGroup::resultType),
        reporters,
        posture,
        e.posture().isEmpty() ? null : e.posture().getFirst().checkedAt());
  }

  /** A domain asked for that no report in the window names under an sts policy. */
  public Assessment unknown(
      String domain, LocalDate since, List<PostureHistory.Finding> postureRun) {
    List<PostureHistory.Finding> posture =
        postureRun.stream().filter(PostureFindings::blocksEnforce).toList();
    return new Assessment(
        domain,
        "unknown",
        since,
        Verdict.NOT_ENOUGH_DATA,
        domain
            + ": no report names it under an MTA-STS policy in testing or enforce mode since "
            + since,
        List.of(
            new Reason(
                Reason.DATA,
                "no report since " + since + " names " + domain + " under an MTA-STS policy",
                "publish _smtp._tls."
                    + domain
                    + " (rua) and _mta-sts."
                    + domain
                    + ", and wait for reports")),
        List.of(),
        0,
        0,
        List.of(),
        Trend.NONE,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        posture,
        postureRun.isEmpty() ? null : postureRun.getFirst().checkedAt());
  }

  /** What a verdict of ready still lacks: days, sessions, reporters still reporting. */
  private List<Reason> missing(long dayCount, long sessions, long active) {
    List<Reason> out = new ArrayList<>();
    if (dayCount < settings.minDays()) {
      out.add(
          new Reason(
              Reason.DATA,
              "only "
                  + days(dayCount)
                  + " with reports in the window; "
                  + settings.minDays()
                  + " needed (readiness.min_days)",
              "wait for more daily reports, or look at a longer window (--since)"));
    }
    if (sessions < settings.minSessions()) {
      out.add(
          new Reason(
              Reason.DATA,
              "only "
                  + count(sessions)
                  + " sessions reported in the window; "
                  + count(settings.minSessions())
                  + " needed (readiness.min_sessions)",
              "wait for more reports, or look at a longer window (--since)"));
    }
    if (active < settings.minReporters()) {
      out.add(
          new Reason(
              Reason.DATA,
              "only "
                  + count(active)
                  + (active == 1 ? " reporter" : " reporters")
                  + " still reporting; "
                  + settings.minReporters()
                  + " needed (readiness.min_reporters)",
              "check that the _smtp._tls TXT record (rua) is published, and wait for more"
                  + " senders to report"));
    }
    return out;
  }

  /**
   * The failure details, and per reporter the failed sessions its policy summaries count beyond its
   * details, as {@code unspecified}; most first.
   */
  private static List<FailureGroup> groups(Evidence e) {
    List<FailureGroup> out = new ArrayList<>(e.failures());
    for (Reporter r : e.reporters()) {
      long detailed =
          e.failures().stream()
              .filter(g -> g.organization().equals(r.organization()))
              .mapToLong(FailureGroup::sessions)
              .sum();
      if (r.failed() > detailed) {
        out.add(
            new FailureGroup(
                r.organization(), "", "unspecified", r.failed() - detailed, null, null));
      }
    }
    out.sort(
        Comparator.comparingLong(FailureGroup::sessions)
            .reversed()
            .thenComparing(FailureGroup::organization)
            .thenComparing(FailureGroup::mxHost)
            .thenComparing(FailureGroup::resultType));
    return out;
  }

  private static List<Assessment.Split> senders(Evidence e) {
    List<Assessment.Split> out = new ArrayList<>();
    for (Reporter r : e.reporters()) {
      out.add(new Assessment.Split(r.organization(), r.successful() + r.failed(), r.failed()));
    }
    out.sort(
        Comparator.comparingLong(Assessment.Split::failed)
            .reversed()
            .thenComparing(Assessment.Split::key));
    return out;
  }

  private static List<Assessment.Split> split(
      List<FailureGroup> groups, java.util.function.Function<FailureGroup, String> key) {
    Map<String, Long> sums = new LinkedHashMap<>();
    for (FailureGroup g : groups) {
      sums.merge(key.apply(g), g.sessions(), Long::sum);
    }
    List<Assessment.Split> out = new ArrayList<>();
    sums.forEach((k, v) -> out.add(new Assessment.Split(k, null, v)));
    out.sort(
        Comparator.comparingLong(Assessment.Split::failed)
            .reversed()
            .thenComparing(Assessment.Split::key));
    return out;
  }
}

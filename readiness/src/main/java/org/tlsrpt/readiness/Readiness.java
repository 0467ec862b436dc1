package org.tlsrpt.readiness;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tlsrpt.storage.ReadinessQueries;

/**
 * The readiness of the policy domains of a store: reads each domain's evidence ({@link
 * ReadinessQueries}) and judges it ({@link ReadinessJudge}) as of today by {@code clock}.
 */
public final class Readiness {
  private final ReadinessQueries queries;
  private final ReadinessJudge judge;
  private final Clock clock;
  private final ReadinessSettings settings;

  public Readiness(ReadinessQueries queries, ReadinessSettings settings, Clock clock) {
    this.queries = queries;
    this.settings = settings;
    this.judge = new ReadinessJudge(settings);
    this.clock = clock;
  }

  /** The thresholds the verdicts are judged by. */
  public ReadinessSettings settings() {
    return settings;
  }

  /**
   * One assessment per domain: those asked for, in that order, or, with none asked for, every
   * domain reported under an sts policy in testing or enforce mode from {@code since} on, by name.
   * A domain asked for that no such report names is {@link Verdict#NOT_ENOUGH_DATA}.
   */
  public List<Assessment> assess(LocalDate since, List<String> domains) {
    LocalDate today = LocalDate.now(clock);
    Map<String, ReadinessQueries.DomainMode> known =
        queries.domains(since).stream()
            .collect(
                Collectors.toMap(
                    ReadinessQueries.DomainMode::domain,
                    Function.identity(),
                    (a, b) -> a,
                    java.util.LinkedHashMap::new));
    List<String> wanted =
        domains.isEmpty()
            ? List.copyOf(known.keySet())
            : domains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).distinct().toList();
    List<Assessment> out = new ArrayList<>();
    for (String d : wanted) {
      ReadinessQueries.DomainMode m = known.get(d);
      out.add(
          m == null
              ? judge.unknown(d, since, queries.evidence(d, "testing", since).posture())
              : judge.judge(queries.evidence(d, m.mode(), since), today));
    }
    return out;
  }
}

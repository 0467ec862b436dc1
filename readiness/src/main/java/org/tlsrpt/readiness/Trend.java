package org.tlsrpt.readiness;

import java.util.List;
import org.tlsrpt.storage.ReadinessQueries.Day;

/**
 * Whether failures shrink: the failure share of the newer half of the days with reports against the
 * older half (the middle day, for an odd count, belongs to neither).
 */
final class Trend {
  static final String NONE = "no failures";
  static final String SHRINKING = "shrinking";
  static final String GROWING = "growing";
  static final String STEADY = "steady";

  private Trend() {}

  static String of(List<Day> days) {
    int half = days.size() / 2;
    double older = share(days.subList(0, half));
    double newer = share(days.subList(days.size() - half, days.size()));
    if (days.stream().allMatch(d -> d.failed() == 0)) {
      return NONE;
    }
    if (half == 0) {
      return STEADY;
    }
    // a change under a fifth either way is noise
    if (newer < older * 0.8) {
      return SHRINKING;
    }
    if (newer > older * 1.25) {
      return GROWING;
    }
    return STEADY;
  }

  private static double share(List<Day> days) {
    long failed = days.stream().mapToLong(Day::failed).sum();
    long all = days.stream().mapToLong(d -> d.failed() + d.successful()).sum();
    return all == 0 ? 0 : (double) failed / all;
  }
}

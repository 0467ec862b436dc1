package org.tlsrpt.posture.dane;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * {@link ReportedDaneFailures} read from the report store ({@link
 * org.tlsrpt.storage.DaneFailureReports}).
 */
public final class StoredReportedDaneFailures implements ReportedDaneFailures {
  private static final Pattern NAME = Pattern.compile("[a-z0-9.-]{1,253}");

  private final org.tlsrpt.storage.DaneFailureReports stored;

  public StoredReportedDaneFailures(ClickHouse clickHouse, String database) {
    this.stored = new org.tlsrpt.storage.DaneFailureReports(clickHouse, database);
  }

  @Override
  public List<Reported> since(String domain, List<String> mxHosts, Instant since) {
    List<String> names = new ArrayList<>();
    names.add(domain);
    names.addAll(mxHosts);
    List<String> literals = new ArrayList<>();
    for (String n : names) {
      String lower = n.toLowerCase(Locale.ROOT);
      if (!NAME.matcher(lower).matches()) {
        throw new IllegalArgumentException("not a domain name: '" + n + "'");
      }
      literals.add(lower);
    }
    return stored.since(literals, RESULT_TYPES, since).stream()
        .map(
            f -> new Reported(f.organization(), f.resultType(), f.mxHost(), f.sessions(), f.last()))
        .toList();
  }
}

package org.tlsrpt.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The {@code posture_findings} table (V003): every finding of every run of the posture watch. The
 * watch compares a run with the one before it; the dashboard shows each domain's newest run.
 */
public final class PostureHistory {
  private final ClickHouse ch;
  private final String db;

  public PostureHistory(ClickHouse ch, String database) {
    this.ch = ch;
    this.db = database;
  }

  /**
   * One finding of one run: a run is the findings of a domain with one {@code checkedAt}.
   *
   * @param finding what was checked, e.g. {@code mx.certificate_expiry}
   * @param status OK, WARN, FAIL or NOT_CHECKED
   * @param facts the figures behind it, e.g. {@code days_to_expiry}
   */
  public record Finding(
      String domain,
      Instant checkedAt,
      String finding,
      String status,
      String subject,
      String message,
      String remedy,
      Map<String, String> facts) {
    public Finding {
      Map<String, String> copy = new LinkedHashMap<>();
      facts.forEach((k, v) -> copy.put(k, v == null ? "" : v));
      facts = Collections.unmodifiableMap(copy); // in the given order
    }

    /** The fact {@code days_to_expiry} (certificate findings), or null. */
    public Long daysToExpiry() {
      String days = facts.get("days_to_expiry");
      try {
        return days == null ? null : (long) Integer.parseInt(days);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** Records the findings of a run (nothing when there are none). */
  public void record(List<Finding> run) {
    if (run.isEmpty()) {
      return;
    }
    ch.insert(
        db + ".posture_findings",
        "JSONEachRow",
        QueryRows.jsonEachRow(
            run,
            (g, f) -> {
              g.writeStartObject();
              QueryRows.writeTime(g, "checked_at", f.checkedAt());
              g.writeStringField("domain", text(f.domain()));
              g.writeStringField("finding", text(f.finding()));
              g.writeStringField("status", text(f.status()));
              g.writeStringField("subject", text(f.subject()));
              g.writeStringField("message", text(f.message()));
              g.writeStringField("remedy", text(f.remedy()));
              g.writeObjectFieldStart("facts");
              for (Map.Entry<String, String> e : f.facts().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
              }
              g.writeEndObject();
              g.writeEndObject();
            }));
  }

  /** When the newest run of {@code domain} was stored, if ever. */
  public Optional<Instant> lastRun(String domain) {
    List<Map<String, Object>> r =
        QueryRows.query(
            ch,
            "SELECT toUnixTimestamp64Milli(max(checked_at)) AS t, count() AS n FROM "
                + db
                + ".posture_findings WHERE domain = "
                + QueryRows.literal(domain));
    return r.isEmpty() || QueryRows.num(r.getFirst(), "n") == 0
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(QueryRows.num(r.getFirst(), "t")));
  }

  /** The findings of the newest run of {@code domain} (none when it was never checked). */
  public List<Finding> newestRun(String domain) {
    return newestRuns(domain, Integer.MAX_VALUE);
  }

  /**
   * The findings of each domain's newest run, whatever its age: by domain, then failures first,
   * then warnings, checks not made and passed checks.
   *
   * @param domain one domain, or null for all
   */
  public List<Finding> newestRuns(String domain, int limit) {
    String only = domain == null ? "" : " WHERE domain = " + QueryRows.literal(domain);
    List<Finding> out = new ArrayList<>();
    for (Map<String, Object> r :
        QueryRows.query(
            ch,
            "SELECT domain, toUnixTimestamp64Milli(checked_at) AS checked_ms, finding, status,"
                + " subject, message, remedy, facts FROM "
                + db
                + ".posture_findings WHERE (domain, checked_at) GLOBAL IN (SELECT domain,"
                + " max(checked_at) FROM "
                + db
                + ".posture_findings"
                + only
                + " GROUP BY domain)"
                + " ORDER BY domain, indexOf(['FAIL', 'WARN', 'NOT_CHECKED', 'OK'], status) = 0,"
                + " indexOf(['FAIL', 'WARN', 'NOT_CHECKED', 'OK'], status), finding, subject LIMIT "
                + Math.max(1, limit))) {
      out.add(
          new Finding(
              QueryRows.str(r, "domain"),
              Instant.ofEpochMilli(QueryRows.num(r, "checked_ms")),
              QueryRows.str(r, "finding"),
              QueryRows.str(r, "status"),
              QueryRows.str(r, "subject"),
              QueryRows.str(r, "message"),
              QueryRows.str(r, "remedy"),
              QueryRows.stringMap(r, "facts")));
    }
    return out;
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}

package org.tlsrpt.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The {@code alerts} table (V002): every alert the alerting raised, with the channels it went to
 * and how its delivery went. The alerting reads it back for the cooldown (which so survives
 * restarts and is shared by processes on one store), the dashboard to list the alerts.
 *
 * <p>An entry whose delivery starts with {@link #FAILED} reached no channel: it does not count as
 * sent, so the alert is tried again.
 */
public final class AlertHistory {
  /** How a delivery that reached no channel begins. */
  public static final String FAILED = "failed";

  private static final String DELIVERED = "delivery NOT LIKE '" + FAILED + "%'";

  private final ClickHouse ch;
  private final String db;

  public AlertHistory(ClickHouse ch, String database) {
    this.ch = ch;
    this.db = database;
  }

  /**
   * One alert as recorded.
   *
   * @param channels the channels it was sent through (none when none is configured)
   * @param delivery {@code sent}, {@code no channel configured}, {@code partly sent; ...} or {@code
   *     failed: ...}
   */
  public record Entry(Instant firedAt, Alert alert, List<String> channels, String delivery) {
    public Entry {
      channels = List.copyOf(channels);
    }

    /** Whether it reached at least one channel (or there was none to reach). */
    public boolean delivered() {
      return !delivery.startsWith(FAILED);
    }
  }

  /** What the cooldown of an alert is per: its rule and its key. */
  public record RuleKey(String rule, String key) {}

  /** Records an entry. */
  public void record(Entry e) {
    ch.insert(
        db + ".alerts",
        "JSONEachRow",
        QueryRows.jsonEachRow(
            List.of(e),
            (g, x) -> {
              Alert a = x.alert();
              g.writeStartObject();
              QueryRows.writeTime(g, "fired_at", x.firedAt());
              g.writeStringField("rule", text(a.rule()));
              g.writeStringField("alert_key", text(a.key()));
              g.writeStringField("policy_domain", text(a.policyDomain()));
              g.writeStringField("organization", text(a.organization()));
              g.writeStringField("mode", text(a.mode()));
              QueryRows.writeStrings(g, "result_types", a.resultTypes());
              QueryRows.writeStrings(g, "mx_hosts", a.mxHosts());
              g.writeNumberField("failed_sessions", a.failedSessions());
              QueryRows.writeTime(g, "window_start", a.windowStart());
              QueryRows.writeTime(g, "window_end", a.windowEnd());
              g.writeStringField("message", text(a.message()));
              QueryRows.writeStrings(g, "channels", x.channels());
              g.writeStringField("delivery", text(x.delivery()));
              g.writeEndObject();
            }));
  }

  /** When each (rule, key) was last delivered. */
  public Map<RuleKey, Instant> lastDelivered() {
    Map<RuleKey, Instant> out = new HashMap<>();
    for (Map<String, Object> r :
        QueryRows.query(
            ch,
            "SELECT rule, alert_key, toUnixTimestamp64Milli(max(fired_at)) AS at FROM "
                + db
                + ".alerts WHERE "
                + DELIVERED
                + " GROUP BY rule, alert_key")) {
      out.put(
          new RuleKey(QueryRows.str(r, "rule"), QueryRows.str(r, "alert_key")),
          Instant.ofEpochMilli(QueryRows.num(r, "at")));
    }
    return out;
  }

  /** When an alert of this rule and key was last delivered, if ever. */
  public Optional<Instant> lastDelivered(RuleKey k) {
    Map<String, Object> r =
        one(
            "SELECT toUnixTimestamp64Milli(max(fired_at)) AS at, count() AS n FROM "
                + db
                + ".alerts"
                + where(k)
                + " AND "
                + DELIVERED);
    return QueryRows.num(r, "n") == 0
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(QueryRows.num(r, "at")));
  }

  /**
   * Whether an alert of this rule and key whose window ends at or after {@code from} was delivered.
   */
  public boolean deliveredWindowEndingFrom(RuleKey k, Instant from) {
    Map<String, Object> r =
        one(
            "SELECT count() AS n FROM "
                + db
                + ".alerts"
                + where(k)
                + " AND window_end >= "
                + QueryRows.instant(from)
                + " AND "
                + DELIVERED);
    return QueryRows.num(r, "n") > 0;
  }

  /**
   * Entries fired from {@code since} on, newest first, for the dashboard.
   *
   * @param domain a policy domain, or null for all
   * @param organization a sending organization (exact name), or null for all
   */
  public List<Entry> recent(LocalDate since, String domain, String organization, int limit) {
    List<Entry> out = new ArrayList<>();
    for (Map<String, Object> r :
        QueryRows.query(
            ch,
            "SELECT toUnixTimestamp64Milli(fired_at) AS fired_ms, rule, alert_key, policy_domain,"
                + " organization, mode, result_types, mx_hosts, failed_sessions,"
                + " toUnixTimestamp64Milli(window_start) AS start_ms,"
                + " toUnixTimestamp64Milli(window_end) AS end_ms, message, channels, delivery"
                + " FROM "
                + db
                + ".alerts"
                + filter(since, domain, organization)
                + " ORDER BY fired_at DESC, rule, alert_key LIMIT "
                + Math.max(1, limit))) {
      out.add(
          new Entry(
              Instant.ofEpochMilli(QueryRows.num(r, "fired_ms")),
              new Alert(
                  QueryRows.str(r, "rule"),
                  QueryRows.str(r, "alert_key"),
                  QueryRows.str(r, "policy_domain"),
                  QueryRows.str(r, "organization"),
                  QueryRows.str(r, "mode"),
                  QueryRows.strings(r, "result_types"),
                  QueryRows.strings(r, "mx_hosts"),
                  QueryRows.num(r, "failed_sessions"),
                  Instant.ofEpochMilli(QueryRows.num(r, "start_ms")),
                  Instant.ofEpochMilli(QueryRows.num(r, "end_ms")),
                  QueryRows.str(r, "message"),
                  ""),
              QueryRows.strings(r, "channels"),
              QueryRows.str(r, "delivery")));
    }
    return out;
  }

  /** How many entries {@link #recent} would find without a limit. */
  public long count(LocalDate since, String domain, String organization) {
    return QueryRows.num(
        one("SELECT count() AS n FROM " + db + ".alerts" + filter(since, domain, organization)),
        "n");
  }

  private Map<String, Object> one(String sql) {
    List<Map<String, Object>> rows = QueryRows.query(ch, sql);
    return rows.isEmpty() ? Map.of() : rows.getFirst();
  }

  private static String where(RuleKey k) {
    return " WHERE rule = "
        + QueryRows.literal(k.rule())
        + " AND alert_key = "
        + QueryRows.literal(k.key());
  }

  private static String filter(LocalDate since, String domain, String organization) {
    return " WHERE fired_at >= toDateTime64('"
        + since
        + " 00:00:00', 3, 'UTC')"
        + (domain == null ? "" : " AND policy_domain = " + QueryRows.literal(domain))
        + (organization == null ? "" : " AND organization = " + QueryRows.literal(organization));
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}

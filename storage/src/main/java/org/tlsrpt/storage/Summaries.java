package org.tlsrpt.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * The summary behind {@code tlsrpt summary} and {@code GET /api/summary}: sessions and failures per
 * sending organization, policy domain, MX host or result type, over de-duplicated data.
 * Organization, domain and result type come from the daily aggregates; MX hosts from the failure
 * rows.
 */
public final class Summaries {
  private static final JsonFactory JSON = new JsonFactory();

  private final ClickHouse ch;
  private final String db;

  public Summaries(ClickHouse ch, String database) {
    this.ch = ch;
    this.db = database;
  }

  /** What the rows are grouped by. */
  public enum By {
    ORG,
    DOMAIN,
    MX,
    RESULT;

    public static By parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "org", "organization" -> ORG;
        case "domain" -> DOMAIN;
        case "mx" -> MX;
        case "result", "result-type" -> RESULT;
        default ->
            throw new IllegalArgumentException(
                "--by takes org, domain, mx or result, not '" + s + "'");
      };
    }
  }

  /**
   * One row of the summary.
   *
   * @param modes the sts modes seen, comma-separated ("" for none)
   * @param successful null where it does not apply (MX hosts and result types count failures only)
   */
  public record Row(String key, String modes, long reports, Long successful, long failed) {}

  /** Totals over the window and the rows. */
  public record Summary(long reports, long successful, long failed, List<Row> rows) {}

  /**
   * @param since first day included (UTC)
   * @param domain a policy domain to restrict to, or null
   */
  public Summary summary(LocalDate since, String domain, By by) {
    String where =
        " WHERE date_start >= toDateTime64('"
            + since
            + " 00:00:00', 3, 'UTC')"
            + (domain == null
                ? ""
                : " AND policy_domain = " + quote(domain.toLowerCase(Locale.ROOT)));
    // FINAL collapses a report stored twice; the key counted as a 128-bit number is much cheaper
    // than as text
    String reports = "uniqExact(reinterpretAsUInt128(unhex(report_key)))";
    String modes = "arrayStringConcat(arraySort(groupUniqArrayIf(mode, mode != '')), ',')";
    List<Map<String, Object>> totals =
        rows(
            "SELECT "
                + reports
                + " AS reports, sum(successful) AS successful, sum(failed) AS failed FROM "
                + db
                + ".policies FINAL"
                + where);
    Map<String, Object> t = totals.isEmpty() ? Map.of() : totals.get(0);
    String sql =
        switch (by) {
          case ORG, DOMAIN -> {
            String key = by == By.ORG ? "organization" : "policy_domain";
            yield "SELECT "
                + key
                + " AS key, "
                + modes
                + " AS modes, "
                + reports
                + " AS reports,"
                + " sum(successful) AS successful, sum(failed) AS failed FROM "
                + db
                + ".policies FINAL"
                + where
                + " GROUP BY key ORDER BY failed DESC, key";
          }
          case RESULT, MX -> {
            String key =
                by == By.RESULT ? "result_type" : "ifNull(receiving_mx_hostname, '(none)')";
            yield "SELECT "
                + key
                + " AS key, "
                + modes
                + " AS modes, "
                + reports
                + " AS reports,"
                + " sum(failed_session_count) AS failed FROM "
                + db
                + ".failures FINAL"
                + where
                + " GROUP BY key ORDER BY failed DESC, key";
          }
        };
    List<Row> rows = new ArrayList<>();
    for (Map<String, Object> r : rows(sql)) {
      rows.add(
          new Row(
              (String) r.get("key"),
              (String) r.getOrDefault("modes", ""),
              num(r.get("reports")),
              r.containsKey("successful") ? num(r.get("successful")) : null,
              num(r.get("failed"))));
    }
    return new Summary(num(t.get("reports")), num(t.get("successful")), num(t.get("failed")), rows);
  }

  /** The first day of a window of {@code days} days ending today (UTC). */
  public static LocalDate since(int days) {
    return LocalDate.now(ZoneOffset.UTC).minusDays(Math.max(0, days - 1L));
  }

  static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static long num(Object o) {
    if (o == null) {
      return 0;
    }
    if (o instanceof Number n) {
      return n.longValue();
    }
    return Long.parseLong(o.toString());
  }

  /** Runs a query and reads its JSONEachRow result into maps of strings and numbers. */
  List<Map<String, Object>> rows(String sql) {
    byte[] out = ch.query(sql, "JSONEachRow");
    List<Map<String, Object>> rows = new ArrayList<>();
    try (JsonParser p = JSON.createParser(out)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.START_OBJECT) {
          continue;
        }
        Map<String, Object> row = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          row.put(
              name,
              switch (v) {
                case VALUE_NUMBER_INT -> p.getLongValue();
                case VALUE_NULL -> null;
                default -> p.getText();
              });
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}

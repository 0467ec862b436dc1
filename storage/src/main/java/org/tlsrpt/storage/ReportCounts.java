package org.tlsrpt.storage;

import java.util.List;
import java.util.Map;
import org.tlsrpt.storage.engine.ClickHouse;

/** How many reports the store holds (table {@code reports}), counting each report once. */
public final class ReportCounts {
  private final ClickHouse ch;
  private final String db;

  public ReportCounts(ClickHouse ch, String database) {
    this.ch = ch;
    this.db = database;
  }

  /** Whether no report is stored; cheaper than counting them. */
  public boolean none() {
    return count("SELECT count() AS n FROM (SELECT 1 FROM " + db + ".reports LIMIT 1)") == 0;
  }

  /** The reports stored, each once however often it arrived. */
  public long reports() {
    return count("SELECT uniqExact(report_key) AS n FROM " + db + ".reports");
  }

  /**
   * The keys of the reports stored ({@link ReportKeys#reportKey}), each once: to count the reports
   * of several stores together without counting one held by two of them twice.
   */
  public java.util.Set<String> keys() {
    return QueryRows.column(ch, "SELECT DISTINCT toString(report_key) FROM " + db + ".reports");
  }

  private long count(String sql) {
    List<Map<String, Object>> r = QueryRows.query(ch, sql);
    return r.isEmpty() ? 0 : QueryRows.num(r.getFirst(), "n");
  }
}

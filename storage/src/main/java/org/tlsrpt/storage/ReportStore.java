package org.tlsrpt.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.storage.engine.ClickHouse;
import org.tlsrpt.storage.schema.SchemaOptions;

/**
 * Writes inputs to storage, idempotently: every input lands in {@code raw_inputs} (accepted,
 * rejected or quarantined, with its reason); accepted reports become rows in {@code reports},
 * {@code policies} and {@code failures}. A report already stored (same organization, report-id and
 * range, from any transport) is counted as a duplicate and not written again; were it written
 * again, the tables and the daily aggregates still count it once (docs/adr/0004-deduplication.md).
 *
 * <p>Each call writes one batch with one insert per table; callers batch for throughput.
 */
public final class ReportStore {
  /** Keys are hex: checked before they are put into SQL. */
  private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("[0-9a-f]+");

  private static final int LOOKUP_CHUNK = 3500;

  private final ClickHouse ch;
  private final SchemaOptions schema;
  private final String db;
  private volatile StoredListener listener;

  /**
   * Told, after each write, the reports of the inputs archived by it (not quarantined ones). A
   * report can be among them again when it came before in other bytes (another transport, a re-sent
   * message) or when an earlier write of it failed part-way: listeners de-duplicate.
   */
  @FunctionalInterface
  public interface StoredListener {
    /**
     * Called on the writer's thread once the batch is durably written; must return quickly and must
     * not throw (a failure here cannot undo the write).
     */
    void stored(List<ParsedReport> fresh);
  }

  /** Sets the listener told of newly stored reports (null for none); returns this store. */
  public ReportStore listen(StoredListener l) {
    this.listener = l;
    return this;
  }

  /** A store on one machine (no cluster). */
  public ReportStore(ClickHouse ch, String database) {
    this(ch, SchemaOptions.local(database));
  }

  public ReportStore(ClickHouse ch, SchemaOptions schema) {
    this.ch = ch;
    this.schema = schema;
    this.db = schema.database();
  }

  /** The tables a batch is written to. */
  private static final List<String> WRITTEN =
      List.of("raw_inputs", "reports", "report_keys", "policies", "failures", "summary_dirty");

  /**
   * Whether a batch could be written now: the store answers and every table written to is there. A
   * writer that failed asks this to tell "storage is down" (wait and retry) from "this batch fails
   * on its own" (set it aside).
   */
  public boolean writable() {
    try {
      String n =
          new String(
                  ch.query(
                      "SELECT count() FROM system.tables WHERE database = '"
                          + db.replace("'", "")
                          + "' AND name IN ('"
                          + String.join("', '", WRITTEN)
                          + "')",
                      "TabSeparated"),
                  java.nio.charset.StandardCharsets.UTF_8)
              .trim();
      return Integer.parseInt(n) == WRITTEN.size();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Stores a batch; returns what became of it. */
  public StoreResult store(List<Incoming> batch) {
    return write(batch, false);
  }

  /**
   * Writes every report of the batch again, whether or not it is stored already (used by {@code
   * tlsrpt reprocess}): the rows are replaced, nothing is counted twice.
   */
  public StoreResult restore(List<Incoming> batch) {
    return write(batch, true);
  }

  private StoreResult write(List<Incoming> batch, boolean force) {
    if (batch.isEmpty()) {
      return StoreResult.EMPTY;
    }
    List<String> shas = batch.stream().map(i -> i.outcome().rawSha256()).toList();
    List<String> keys =
        batch.stream()
            .filter(i -> i.outcome() instanceof ParseOutcome.Parsed && i.quarantineReason() == null)
            .flatMap(i -> ((ParseOutcome.Parsed) i.outcome()).reports().stream())
            .map(r -> ReportKeys.reportKey(r.report().key()))
            .toList();
    Set<String> knownRaw;
    Set<String> knownKeys;
    if (force) {
      knownRaw = Set.of();
      knownKeys = new HashSet<>();
    } else if (shas.size() + keys.size() <= LOOKUP_CHUNK) {
      // one round trip: raw SHA-256s have 64 hex digits, report keys 32
      knownRaw = new HashSet<>();
      knownKeys = new HashSet<>();
      for (String k :
          existing(
              List.of(
                  new Lookup("raw_inputs", "sha256", shas),
                  new Lookup("report_keys", "report_key", keys)))) {
        (k.length() == 64 ? knownRaw : knownKeys).add(k);
      }
    } else {
      knownRaw = existing("raw_inputs", "sha256", shas);
      knownKeys = new HashSet<>(existing("report_keys", "report_key", keys));
    }

    long rawBytes = 0;
    for (Incoming in : batch) {
      rawBytes += in.outcome().raw().bytes().length + RawRows.ROW_OVERHEAD;
    }
    RawRows raw = new RawRows((int) Math.min(rawBytes, 1 << 30));
    BinaryRows reports = new BinaryRows();
    BinaryRows reportKeys = new BinaryRows();
    BinaryRows policies = new BinaryRows();
    BinaryRows failures = new BinaryRows();
    int accepted = 0;
    List<ParsedReport> fresh = new ArrayList<>();
    int duplicates = 0;
    int quarantined = 0;
    Map<String, Integer> rejected = new TreeMap<>();
    Set<String> rawInBatch = new HashSet<>();
    Set<Integer> duplicateInputs = new HashSet<>();
    long processedAt = Instant.now().toEpochMilli();
    for (int position = 0; position < batch.size(); position++) {
      Incoming in = batch.get(position);
      ParseOutcome o = in.outcome();
      String sha = o.rawSha256();
      boolean rawDuplicate = knownRaw.contains(sha) || !rawInBatch.add(sha);
      if (rawDuplicate) {
        duplicates += o instanceof ParseOutcome.Parsed p ? p.reports().size() : 1;
        duplicateInputs.add(position);
        continue;
      }
      switch (o) {
        case ParseOutcome.Rejected r -> {
          raw.add(
              sha,
              in.receivedAt(),
              in.source().wire(),
              o.raw().bytes(),
              "rejected",
              r.code().wire(),
              r.detail(),
              processedAt);
          rejected.merge(r.code().wire(), 1, Integer::sum);
        }
        case ParseOutcome.Parsed p when in.quarantineReason() != null -> {
          raw.add(
              sha,
              in.receivedAt(),
              in.source().wire(),
              o.raw().bytes(),
              "quarantined",
              "quarantined",
              in.quarantineReason(),
              processedAt);
          quarantined += p.reports().size();
        }
        case ParseOutcome.Parsed p -> {
          raw.add(
              sha,
              in.receivedAt(),
              in.source().wire(),
              o.raw().bytes(),
              "accepted",
              "",
              "",
              processedAt);
          int acceptedBefore = accepted;
          for (ParsedReport r : p.reports()) {
            String key = ReportKeys.reportKey(r.report().key());
            // the listener hears of every report of an input not archived before: a retry after
            // a write that failed part-way finds its report keys stored, but must still be told
            fresh.add(r);
            if (!knownKeys.add(key)) {
              duplicates++;
              continue;
            }
            accepted++;
            ReportRows.add(r, key, in, sha, reports, policies, failures);
            ReportRows.addKey(key, in, reportKeys);
          }
          if (accepted == acceptedBefore) {
            duplicateInputs.add(position); // new bytes, but every report in them was stored before
          }
        }
      }
    }
    // Order matters for retries: an input whose raw bytes are archived counts as done (see the
    // lookup above), so the raw archive is written last, after every row and the day marks. A batch
    // that fails part-way leaves no raw row, and its retry writes everything again (the tables
    // collapse what was written twice).
    if (failures.rows() > 0) {
      failures.insertInto(ch, db + ".failures " + failures.columns(), "RowBinary");
    }
    if (policies.rows() > 0) {
      policies.insertInto(ch, db + ".policies " + policies.columns(), "RowBinary");
    }
    if (reports.rows() > 0) {
      reports.insertInto(ch, db + ".reports " + reports.columns(), "RowBinary");
      // after the reports: a key found means its report, policies and failures are all written
      reportKeys.insertInto(ch, db + ".report_keys " + reportKeys.columns(), "RowBinary");
    }
    markChanged(batch);
    if (raw.rows() > 0) {
      raw.insertInto(ch, db + ".raw_inputs " + RawRows.COLUMNS, RawRows.FORMAT);
    }
    StoredListener l = listener;
    if (l != null && !fresh.isEmpty()) {
      try {
        l.stored(List.copyOf(fresh));
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(ReportStore.class)
            .warn("a listener of stored reports failed: {}", e.toString());
      }
    }
    return new StoreResult(
        batch.size(), accepted, duplicates, quarantined, rejected, duplicateInputs);
  }

  /**
   * Removes what a refused write of {@code in} may have left behind, once it is set aside: the rows
   * of its reports written before the statement that failed (failures, policies and reports are
   * written in that order, the raw archive last). No retry will complete them, and the daily
   * summary would count them. Only the rows of this very arrival go (its report keys and its
   * version, which its receive time sets), never those of another input of the same report; the
   * reports row first, so that the report is never taken as stored while its other rows are gone.
   * The reports' days are marked for the summary to be rebuilt.
   */
  public void discard(Incoming in) {
    if (!(in.outcome() instanceof ParseOutcome.Parsed p) || in.quarantineReason() != null) {
      return; // only its raw row is ever written, and that is written last
    }
    Set<String> keys = new TreeSet<>();
    for (ParsedReport r : p.reports()) {
      keys.add(ReportKeys.reportKey(r.report().key()));
    }
    String where =
        " WHERE report_key IN ('"
            + String.join("', '", keys)
            + "') AND version = "
            + (ReportRows.VERSION_EPOCH - in.receivedAt().toEpochMilli());
    for (String table : List.of("report_keys", "reports", "policies", "failures")) {
      ch.execute("DELETE FROM " + db + "." + schema.localName(table) + schema.onCluster() + where);
    }
    markChanged(List.of(in));
  }

  /**
   * Marks the days of every report in the batch, written now or found stored already, as changed,
   * so the daily summary rebuilds them. It runs after the rows are written, and a batch retried
   * after a crash marks its days again, so no written row escapes the summary.
   */
  private void markChanged(List<Incoming> batch) {
    Set<LocalDate> days = new TreeSet<>();
    for (Incoming in : batch) {
      if (in.outcome() instanceof ParseOutcome.Parsed p && in.quarantineReason() == null) {
        for (ParsedReport r : p.reports()) {
          days.add(LocalDate.ofInstant(r.report().dateRange().start(), ZoneOffset.UTC));
        }
      }
    }
    if (days.isEmpty()) {
      return;
    }
    StringBuilder rows = new StringBuilder();
    for (LocalDate d : days) {
      rows.append("{\"day\":\"").append(d).append("\"}\n");
    }
    // marked_at defaults to the ClickHouse clock, the clock summary builds are versioned by
    ch.insert(
        db + ".summary_dirty (day)",
        "JSONEachRow",
        rows.toString().getBytes(StandardCharsets.UTF_8));
  }

  private record Lookup(String table, String column, List<String> values) {}

  /** Which of {@code values} are already in {@code table.column}. */
  private Set<String> existing(String table, String column, List<String> values) {
    if (values.size() > LOOKUP_CHUNK) {
      // one IN list per chunk: a statement must stay under ClickHouse's max_query_size (256 KiB)
      Set<String> found = new HashSet<>();
      for (int i = 0; i < values.size(); i += LOOKUP_CHUNK) {
        found.addAll(
            existing(table, column, values.subList(i, Math.min(values.size(), i + LOOKUP_CHUNK))));
      }
      return found;
    }
    return existing(List.of(new Lookup(table, column, values)));
  }

  /** The values of all lookups already stored, in one query. */
  private Set<String> existing(List<Lookup> lookups) {
    StringBuilder sql = new StringBuilder();
    for (Lookup l : lookups) {
      Set<String> unique = new HashSet<>(l.values());
      if (unique.isEmpty()) {
        continue;
      }
      sql.append(sql.isEmpty() ? "" : " UNION ALL ")
          .append("SELECT DISTINCT toString(")
          .append(l.column())
          .append(") FROM ")
          .append(db)
          .append('.')
          .append(l.table())
          .append(" WHERE ")
          .append(l.column())
          .append(" IN (");
      boolean first = true;
      for (String v : unique) {
        if (!HEX.matcher(v).matches()) {
          throw new IllegalArgumentException("not a hex key: " + v);
        }
        sql.append(first ? "'" : ",'").append(v).append('\'');
        first = false;
      }
      sql.append(')');
    }
    if (sql.isEmpty()) {
      return Set.of();
    }
    return QueryRows.column(ch, sql.toString());
  }
}

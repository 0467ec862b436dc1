package org.tlsrpt.ingest;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ParsedReport;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Incoming;

/**
 * The path every received input takes, whatever the transport: parse, check DKIM (e-mail only),
 * store durably, and only then return. Rejected and quarantined inputs are stored too, with their
 * reason. Thread-safe: sources call it from many threads, and their inputs share writes.
 */
public final class Intake {
  private final ReportParser parser;
  private final DurableStore store;
  private final DkimCheck dkim;
  private final DkimMode mode;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /**
   * @param dkim the verifier (unused when {@code mode} is OFF)
   */
  public Intake(ReportParser parser, DurableStore store, DkimCheck dkim, DkimMode mode) {
    this.parser = parser;
    this.store = store;
    this.dkim = dkim;
    this.mode = mode;
  }

  /**
   * Parses and stores one input.
   *
   * @throws TryLaterException nothing was stored; the sender should try again later
   */
  public Receipt accept(Submission s) throws TryLaterException {
    ParseOutcome outcome =
        s.contentType() == null
            ? parser.parse(s.raw())
            : parser.parseHttpBody(s.raw(), s.contentType());
    DkimVerdict verdict = null;
    String quarantine = null;
    if (s.contentType() == null
        && mode != DkimMode.OFF
        && outcome instanceof ParseOutcome.Parsed p) {
      verdict = dkim.verify(s.raw(), reportingDomains(p));
      if (mode == DkimMode.ENFORCE && verdict.status() != DkimVerdict.Status.PASS) {
        if (verdict.status() == DkimVerdict.Status.TEMPERROR) {
          count(s.source(), "deferred");
          throw new TryLaterException(
              "the DKIM key could not be fetched now: " + verdict.detail(), null);
        }
        quarantine = "DKIM " + verdict.column() + ": " + verdict.detail();
      }
    }
    // RFC 8460 §3: reports posted over HTTPS carry no authentication
    String dkimColumn =
        verdict != null
            ? verdict.column()
            : s.contentType() != null ? "unauthenticated" : "not-checked";
    DurableStore.Stored stored;
    try {
      stored =
          store.put(new Incoming(outcome, s.source(), s.receivedAt(), dkimColumn, quarantine), s);
    } catch (TryLaterException e) {
      count(s.source(), "deferred");
      throw e;
    }
    Receipt.Disposition d =
        outcome instanceof ParseOutcome.Rejected
            ? Receipt.Disposition.REJECTED
            : quarantine != null
                ? Receipt.Disposition.QUARANTINED
                : stored == DurableStore.Stored.DUPLICATE
                    ? Receipt.Disposition.DUPLICATE
                    : Receipt.Disposition.ACCEPTED;
    if (d != Receipt.Disposition.ACCEPTED || stored != DurableStore.Stored.SPOOLED) {
      count(s.source(), d.name().toLowerCase(Locale.ROOT)); // else counted when loaded
    }
    return new Receipt(outcome, d, verdict);
  }

  /**
   * Counts a spooled report input once it is written to the tables: accepted, or duplicate when
   * nothing in it was new. (Rejected and quarantined inputs are counted when received.)
   */
  public void loaded(String source, boolean duplicate) {
    count(source, duplicate ? "duplicate" : "accepted");
  }

  private void count(String source, String outcome) {
    counts.computeIfAbsent(source + "/" + outcome, k -> new LongAdder()).increment();
  }

  /**
   * Inputs handled so far, by "source/outcome" (outcome: accepted, duplicate, rejected,
   * quarantined, deferred). A spooled report counts as accepted or duplicate once it is loaded.
   */
  public Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** TLS-Report-Submitter and the domains of the reports' mailto contact addresses. */
  static Set<String> reportingDomains(ParseOutcome.Parsed p) {
    Set<String> domains = new TreeSet<>();
    for (ParsedReport r : p.reports()) {
      if (r.transport() != null && r.transport().tlsReportSubmitter() != null) {
        domains.add(r.transport().tlsReportSubmitter().trim().toLowerCase(Locale.ROOT));
      }
      String contact = r.report().contactInfo();
      if (contact != null) {
        int at = contact.lastIndexOf('@');
        if (at >= 0 && at < contact.length() - 1) {
          domains.add(contact.substring(at + 1).trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return domains;
  }
}

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
import org.tlsrpt.storage.Source;

/**
 * The path every received input takes, whatever the transport: parse, check DKIM (e-mail only),
 * store durably, and only then return a {@link Receipt}. Rejected and quarantined inputs are stored
 * too, with their reason; an input that cannot be stored now gets {@link Receipt.TryLater}, never
 * an exception. Thread-safe: sources call it from many threads, and their inputs share writes.
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
   * Parses and stores one input; returns only once it is durably stored, or says that it was not.
   */
  public Receipt accept(Envelope received) {
    Handled h = handle(received);
    if (h.stored() != DurableStore.Stored.SPOOLED || !(h.receipt() instanceof Receipt.Stored)) {
      count(received.source(), h.receipt().outcomeLabel()); // else counted once loaded
    }
    return h.receipt();
  }

  /**
   * Counts a spooled report input once it is written to the tables: accepted, or duplicate when
   * nothing in it was new. (Rejected and quarantined inputs are counted when received.)
   */
  public void loaded(Source source, boolean duplicate) {
    count(source, duplicate ? "duplicate" : "accepted");
  }

  /** A receipt, and what the store said of the input (null when nothing was stored). */
  private record Handled(Receipt receipt, DurableStore.Stored stored) {
    static Handled notStored(String reason) {
      return new Handled(new Receipt.TryLater(reason), null);
    }
  }

  private Handled handle(Envelope received) {
    ParseOutcome outcome = received.parse(parser);
    Envelope checked = received;
    DkimVerdict verdict = null;
    if (received.isMail() && mode != DkimMode.OFF && outcome instanceof ParseOutcome.Parsed p) {
      verdict = dkim.verify(received.raw(), reportingDomains(p));
      String quarantine = null;
      if (mode == DkimMode.ENFORCE && verdict.status() != DkimVerdict.Status.PASS) {
        if (verdict.status() == DkimVerdict.Status.TEMPERROR) {
          return Handled.notStored("the DKIM key could not be fetched now: " + verdict.detail());
        }
        quarantine = "DKIM " + verdict.result().wire() + ": " + verdict.detail();
      }
      checked = received.checked(verdict.result(), quarantine);
    }
    DurableStore.Stored stored;
    try {
      stored = store.put(checked, outcome);
    } catch (TryLaterException e) {
      return Handled.notStored(e.getMessage());
    }
    String quarantine = checked.quarantineReason();
    Receipt r =
        switch (outcome) {
          case ParseOutcome.Rejected rejected -> new Receipt.Rejected(rejected);
          case ParseOutcome.Parsed parsed when quarantine != null ->
              new Receipt.Quarantined(parsed, verdict, quarantine);
          case ParseOutcome.Parsed parsed when stored == DurableStore.Stored.DUPLICATE ->
              new Receipt.Duplicate(parsed, verdict);
          case ParseOutcome.Parsed parsed ->
              new Receipt.Stored(parsed, verdict, stored == DurableStore.Stored.SPOOLED);
        };
    return new Handled(r, stored);
  }

  private void count(Source source, String outcome) {
    counts.computeIfAbsent(source.wire() + "/" + outcome, k -> new LongAdder()).increment();
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

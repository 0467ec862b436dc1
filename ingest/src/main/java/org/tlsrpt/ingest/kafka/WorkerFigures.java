package org.tlsrpt.ingest.kafka;

import java.util.concurrent.atomic.LongAdder;
import org.tlsrpt.storage.StoreResult;

/** The worker's counters, added to by both of its threads. */
final class WorkerFigures {
  final LongAdder consumed = new LongAdder();
  final LongAdder stored = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder quarantined = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder unprocessable = new LongAdder();
  final LongAdder deadLetterFailures = new LongAdder();

  /** Adds what storage made of a batch. */
  void count(StoreResult r) {
    stored.add(r.accepted());
    duplicates.add(r.duplicates());
    quarantined.add(r.quarantined());
    rejected.add(r.rejected());
  }
}

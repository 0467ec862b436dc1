package org.tlsrpt.ingest.imap;

import java.util.concurrent.atomic.AtomicLong;

/** The poller's counters, shared by the poller and its passes; read through {@link ImapPoller}. */
final class ImapCounters {
  final AtomicLong processed = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();
}

package org.tlsrpt.alerting;

import java.time.Instant;
import java.util.TreeSet;
import org.tlsrpt.parser.model.TlsReport;

/** FailureGroup of one (domain, organization, result type) in a batch. */
final class FailureGroup {
  final String domain;
  final String org;
  final String mode;
  final String result;
  final TreeSet<String> mx = new TreeSet<>();
  long failed;
  Instant start;
  Instant end;

  FailureGroup(String domain, String org, String mode, String result) {
    this.domain = domain;
    this.org = org;
    this.mode = mode;
    this.result = result;
  }

  void add(String mxHost, long sessions, TlsReport r) {
    if (mxHost != null && !mxHost.isBlank()) {
      mx.add(mxHost);
    }
    failed += sessions;
    Instant s = r.dateRange().start();
    Instant e = r.dateRange().end();
    start = start == null || s.isBefore(start) ? s : start;
    end = end == null || e.isAfter(end) ? e : end;
  }
}

package org.tlsrpt.parser.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The report's {@code date-range} (RFC 8460 §4.4): the period the report covers, as UTC instants.
 * RFC 8460 says it should be a full UTC day but does not require it, so any range with {@code end
 * >= start} is kept as sent.
 */
public record DateRange(Instant start, Instant end) {
  public DateRange {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("end " + end + " is before start " + start);
    }
  }
}

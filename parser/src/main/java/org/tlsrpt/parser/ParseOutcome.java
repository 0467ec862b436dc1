package org.tlsrpt.parser;

import java.util.List;
import java.util.Objects;

/**
 * The result of parsing one input. Bad input is a value, not an exception: a {@link Rejected} says
 * what was wrong in a sentence that names the field, the value and the limit.
 */
public sealed interface ParseOutcome {

  /** Hex SHA-256 of the raw input bytes exactly as received: the input's identity. */
  String rawSha256();

  /** Every report in the input was read. There is at least one. */
  record Parsed(List<ParsedReport> reports, String rawSha256) implements ParseOutcome {
    public Parsed {
      reports = List.copyOf(reports);
      if (reports.isEmpty()) {
        throw new IllegalArgumentException("a parsed input holds at least one report");
      }
      Objects.requireNonNull(rawSha256, "rawSha256");
    }
  }

  /** The input was refused; it should be kept with this reason. */
  record Rejected(RejectCode code, String detail, String rawSha256) implements ParseOutcome {
    public Rejected {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(rawSha256, "rawSha256");
    }
  }
}

package org.tlsrpt.parser;

import java.util.List;
import java.util.Objects;
import org.tlsrpt.parser.rules.RejectCode;

/**
 * The result of parsing one input. Bad input is a value, not an exception: a {@link Rejected} says
 * what was wrong in a sentence that names the field, the value and the limit.
 */
public sealed interface ParseOutcome {

  /** The input as received. */
  RawInput raw();

  /** Hex SHA-256 of the raw input bytes exactly as received: the input's identity. */
  default String rawSha256() {
    return raw().sha256();
  }

  /** Every report in the input was read. There is at least one. */
  record Parsed(List<ParsedReport> reports, RawInput raw) implements ParseOutcome {
    public Parsed {
      reports = List.copyOf(reports);
      if (reports.isEmpty()) {
        throw new IllegalArgumentException("a parsed input holds at least one report");
      }
      Objects.requireNonNull(raw, "raw");
    }
  }

  /** The input was refused; it should be kept with this reason. */
  record Rejected(RejectCode code, String detail, RawInput raw) implements ParseOutcome {
    public Rejected {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(raw, "raw");
    }
  }
}

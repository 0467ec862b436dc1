package org.tlsrpt.parser;

import java.util.List;
import java.util.Objects;
import org.tlsrpt.parser.model.TlsReport;
import org.tlsrpt.parser.model.TransportMetadata;
import org.tlsrpt.parser.rules.Warning;

/**
 * One report found in an input, with the e-mail metadata around it (null for a bare body) and the
 * quirks tolerated while reading it.
 */
public record ParsedReport(TlsReport report, TransportMetadata transport, List<Warning> warnings) {
  public ParsedReport {
    Objects.requireNonNull(report, "report");
    warnings = List.copyOf(warnings);
  }
}

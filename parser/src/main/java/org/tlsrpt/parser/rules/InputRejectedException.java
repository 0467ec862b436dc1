package org.tlsrpt.parser.rules;

/**
 * Thrown by the decoding stages (MIME, decompression, JSON) to unwind when input is refused. {@link
 * org.tlsrpt.parser.ReportParser#parse} catches it and returns a {@link
 * org.tlsrpt.parser.ParseOutcome.Rejected}: callers of the parser never see it.
 */
public final class InputRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RejectCode code;

  public InputRejectedException(RejectCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public RejectCode code() {
    return code;
  }
}

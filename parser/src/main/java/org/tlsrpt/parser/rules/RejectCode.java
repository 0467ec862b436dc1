package org.tlsrpt.parser.rules;

/** Why an input was rejected. The wire names are stable: they are stored and shown to users. */
public enum RejectCode {
  /** No report part in the message, or input that is neither a message nor a report body. */
  NOT_A_REPORT("not_a_report"),
  /** The report body is not well-formed JSON (or repeats a member name, which I-JSON forbids). */
  INVALID_JSON("invalid_json"),
  /** Compressed data that cannot be decompressed: truncated, corrupt, wrong checksum. */
  DECOMPRESSION_ERROR("decompression_error"),
  /** A size limit was reached: input, decompressed output, archive entries, strings, numbers. */
  SIZE_LIMIT("size_limit"),
  /** A nesting limit was reached: MIME depth, compression inside compression, JSON depth. */
  DEPTH_LIMIT("depth_limit"),
  /** A member RFC 8460 requires is absent, null or empty. */
  MISSING_FIELD("missing_field"),
  /** A member has the wrong type or an impossible value (negative count, end before start...). */
  INVALID_VALUE("invalid_value"),
  /**
   * Not the parser's verdict: the pipeline could not process the input (a Kafka record whose
   * metadata cannot be read, or one that failed on its own while storage was healthy). Kept raw.
   */
  UNPROCESSABLE("unprocessable");

  private final String wire;

  RejectCode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}

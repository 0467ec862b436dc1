package org.tlsrpt.parser.rules;

/**
 * Every bound the parser enforces, each a named setting ({@code TLSRPT_PARSER_<NAME>}, see
 * docs/configuration.md). Defaults hold the largest real reports with a wide margin and keep
 * hostile input to bounded memory and time.
 *
 * @param maxInputBytes the raw input as received (an e-mail, a POST body, a file)
 * @param maxDecompressedBytes the output of gzip or of one zip entry; decompression stops here
 * @param maxZipEntries entries read from a zip archive
 * @param maxMimeDepth nested multiparts and forwarded messages
 * @param maxMimeParts MIME entities in one message
 * @param maxJsonDepth JSON nesting
 * @param maxStringLength characters in one JSON string
 * @param maxNumberLength digits in one JSON number
 * @param maxPolicies policies in one report
 * @param maxFailureDetails failure-details entries in one report, all policies together
 * @param maxPolicyStrings policy-string and mx-host entries in one report, all policies together
 */
public record ParserLimits(
    int maxInputBytes,
    long maxDecompressedBytes,
    int maxZipEntries,
    int maxMimeDepth,
    int maxMimeParts,
    int maxJsonDepth,
    int maxStringLength,
    int maxNumberLength,
    int maxPolicies,
    int maxFailureDetails,
    int maxPolicyStrings) {

  /** The defaults. */
  public static final ParserLimits DEFAULTS =
      new ParserLimits(
          32 * 1024 * 1024,
          64L * 1024 * 1024,
          16,
          12,
          500,
          64,
          1024 * 1024,
          32,
          10_000,
          100_000,
          100_000);

  public ParserLimits {
    positive("maxInputBytes", maxInputBytes);
    positive("maxDecompressedBytes", maxDecompressedBytes);
    positive("maxZipEntries", maxZipEntries);
    positive("maxMimeDepth", maxMimeDepth);
    positive("maxMimeParts", maxMimeParts);
    positive("maxJsonDepth", maxJsonDepth);
    positive("maxStringLength", maxStringLength);
    positive("maxNumberLength", maxNumberLength);
    positive("maxPolicies", maxPolicies);
    positive("maxFailureDetails", maxFailureDetails);
    positive("maxPolicyStrings", maxPolicyStrings);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          "parser limit " + name + " must be a positive number, got " + value);
    }
  }
}

package org.tlsrpt.app.config;

import java.util.List;
import org.tlsrpt.config.ConfigurationException;
import org.tlsrpt.config.Setting;
import org.tlsrpt.config.Settings;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.parser.rules.ParserLimits;

/** The parser's settings ({@code parser.*}): its limits, read once at start-up by {@link #from}. */
public record ParserSettings(ParserLimits limits) {
  private static final ParserLimits D = ParserLimits.DEFAULTS;

  public static final Setting MAX_INPUT_BYTES =
      new Setting(
          "parser.max_input_bytes",
          String.valueOf(D.maxInputBytes()),
          "Largest raw input (e-mail, POST body or file) the parser reads; larger inputs are rejected"
              + " as size_limit.");
  public static final Setting MAX_DECOMPRESSED_BYTES =
      new Setting(
          "parser.max_decompressed_bytes",
          String.valueOf(D.maxDecompressedBytes()),
          "Largest decompressed report (gzip output, or one zip entry); decompression stops there.");
  public static final Setting MAX_ZIP_ENTRIES =
      new Setting(
          "parser.max_zip_entries",
          String.valueOf(D.maxZipEntries()),
          "Most entries read from one zip archive.");
  public static final Setting MAX_MIME_DEPTH =
      new Setting(
          "parser.max_mime_depth",
          String.valueOf(D.maxMimeDepth()),
          "Deepest nesting of multiparts and forwarded messages.");
  public static final Setting MAX_MIME_PARTS =
      new Setting(
          "parser.max_mime_parts",
          String.valueOf(D.maxMimeParts()),
          "Most MIME entities in one message.");
  public static final Setting MAX_JSON_DEPTH =
      new Setting(
          "parser.max_json_depth",
          String.valueOf(D.maxJsonDepth()),
          "Deepest JSON nesting in a report body (a valid report needs 5).");
  public static final Setting MAX_STRING_LENGTH =
      new Setting(
          "parser.max_string_length",
          String.valueOf(D.maxStringLength()),
          "Longest JSON string, in characters.");
  public static final Setting MAX_NUMBER_LENGTH =
      new Setting(
          "parser.max_number_length",
          String.valueOf(D.maxNumberLength()),
          "Longest JSON number, in digits.");
  public static final Setting MAX_POLICIES =
      new Setting(
          "parser.max_policies", String.valueOf(D.maxPolicies()), "Most policies in one report.");
  public static final Setting MAX_FAILURE_DETAILS =
      new Setting(
          "parser.max_failure_details",
          String.valueOf(D.maxFailureDetails()),
          "Most failure-details entries in one report, all policies together.");
  public static final Setting MAX_POLICY_STRINGS =
      new Setting(
          "parser.max_policy_strings",
          String.valueOf(D.maxPolicyStrings()),
          "Most policy-string and mx-host entries in one report, all policies together.");

  public static final List<Setting> ALL =
      List.of(
          MAX_INPUT_BYTES,
          MAX_DECOMPRESSED_BYTES,
          MAX_ZIP_ENTRIES,
          MAX_MIME_DEPTH,
          MAX_MIME_PARTS,
          MAX_JSON_DEPTH,
          MAX_STRING_LENGTH,
          MAX_NUMBER_LENGTH,
          MAX_POLICIES,
          MAX_FAILURE_DETAILS,
          MAX_POLICY_STRINGS);

  /**
   * Reads and checks every {@code parser.*} key.
   *
   * @throws ConfigurationException naming the key of a value that is not valid
   */
  public static ParserSettings from(Settings s) {
    long input = s.bytes(MAX_INPUT_BYTES);
    if (input > Integer.MAX_VALUE - 16) {
      throw s.invalid(MAX_INPUT_BYTES, "a size below 2GiB");
    }
    return new ParserSettings(
        new ParserLimits(
            (int) input,
            s.bytes(MAX_DECOMPRESSED_BYTES),
            s.integer(MAX_ZIP_ENTRIES),
            s.integer(MAX_MIME_DEPTH),
            s.integer(MAX_MIME_PARTS),
            s.integer(MAX_JSON_DEPTH),
            s.integer(MAX_STRING_LENGTH),
            s.integer(MAX_NUMBER_LENGTH),
            s.integer(MAX_POLICIES),
            s.integer(MAX_FAILURE_DETAILS),
            s.integer(MAX_POLICY_STRINGS)));
  }

  /** A parser with these limits. */
  public ReportParser parser() {
    return new ReportParser(limits);
  }
}

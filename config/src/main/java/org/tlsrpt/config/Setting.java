package org.tlsrpt.config;

/**
 * One documented configuration key. The environment variable is {@code TLSRPT_} followed by the key
 * upper-cased with dots as underscores: {@code parser.max_input_bytes} is {@code
 * TLSRPT_PARSER_MAX_INPUT_BYTES}.
 */
public record Setting(String key, String defaultValue, String description) {

  public String environmentVariable() {
    return "TLSRPT_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }
}

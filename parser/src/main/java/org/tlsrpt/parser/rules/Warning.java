package org.tlsrpt.parser.rules;

import java.util.Objects;

/**
 * A quirk that was tolerated. Warnings are stored with the report, never dropped silently.
 *
 * @param code a stable snake_case identifier, e.g. {@code date_without_offset}
 * @param message what was found and what was done about it
 */
public record Warning(String code, String message) {
  public Warning {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}

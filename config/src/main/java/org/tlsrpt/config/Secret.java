package org.tlsrpt.config;

import java.util.Objects;

/**
 * A password or other secret from the settings: a settings record holding one prints {@code ***} in
 * its place, so logging a record does not leak it.
 */
public record Secret(String value) {
  public static final Secret EMPTY = new Secret("");

  public Secret {
    Objects.requireNonNull(value, "value");
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  public char[] chars() {
    return value.toCharArray();
  }

  @Override
  public String toString() {
    return value.isEmpty() ? "" : "***";
  }
}

package org.tlsrpt.storage;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How an input reached tlsrpt. Stored in the {@code source} columns and carried in Kafka headers as
 * its wire string, which never changes for a value.
 */
public enum Source {
  /** The SMTP listener. */
  SMTP("smtp"),
  /** The IMAP poller. */
  IMAP("imap"),
  /** The HTTPS receiver (RFC 8460 §3). */
  HTTPS("https"),
  /** {@code tlsrpt import}. */
  FILE("file"),
  /** {@code tlsrpt serve --demo}. */
  DEMO("demo"),
  /** A record of the raw-input topic that did not say how it came (another producer). */
  KAFKA("kafka");

  private final String wire;

  Source(String wire) {
    this.wire = wire;
  }

  /** The stored form: {@code smtp}, {@code imap}... */
  public String wire() {
    return wire;
  }

  /**
   * The source stored as {@code wire}.
   *
   * @throws IllegalArgumentException not a source tlsrpt writes, with the ones it does
   */
  public static Source fromWire(String wire) {
    for (Source s : values()) {
      if (s.wire.equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "source '"
            + wire
            + "' is not one of "
            + Arrays.stream(values()).map(Source::wire).collect(Collectors.joining(", ")));
  }
}

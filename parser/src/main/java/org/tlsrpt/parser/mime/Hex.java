package org.tlsrpt.parser.mime;

/** ASCII hex digits only ({@link Character#digit} also takes other scripts' digits). */
public final class Hex {
  private Hex() {}

  /** The value of an ASCII hex digit, or -1. */
  public static int digit(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}

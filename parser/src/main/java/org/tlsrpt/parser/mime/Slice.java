package org.tlsrpt.parser.mime;

/** A range of a byte array, so that unencoded bodies are used in place rather than copied. */
public record Slice(byte[] bytes, int offset, int length) {
  public Slice {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new IllegalArgumentException("slice out of bounds");
    }
  }
}

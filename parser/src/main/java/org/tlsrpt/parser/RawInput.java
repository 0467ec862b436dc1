package org.tlsrpt.parser;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The raw bytes of one input exactly as received, and their SHA-256: the input's identity in the
 * raw archive. The digest is computed on first use, so that parsing alone does not pay for it. The
 * bytes are not copied: callers must not change them afterwards.
 */
public final class RawInput {
  private final byte[] bytes;
  private volatile String sha256;

  public RawInput(byte[] bytes) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
  }

  /** The bytes as received (not a copy). */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  /** Lower-case hex SHA-256 of the bytes. */
  public String sha256() {
    String s = sha256;
    if (s == null) {
      try {
        s = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK provides SHA-256", e);
      }
      sha256 = s;
    }
    return s;
  }

  @Override
  public String toString() {
    return "RawInput[" + bytes.length + " bytes]";
  }
}

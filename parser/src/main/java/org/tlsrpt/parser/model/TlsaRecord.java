package org.tlsrpt.parser.model;

import java.util.Objects;

/**
 * One TLSA resource record from a {@code tlsa} policy's {@code policy-string} (RFC 8460 §4.5, RFC
 * 6698 §2.1), in presentation form {@code usage selector matching-type data}.
 *
 * @param data the certificate association data as upper-case hex
 */
public record TlsaRecord(int usage, int selector, int matchingType, String data) {
  public TlsaRecord {
    Objects.requireNonNull(data, "data");
  }
}

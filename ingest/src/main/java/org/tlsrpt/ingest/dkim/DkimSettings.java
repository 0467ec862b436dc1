package org.tlsrpt.ingest.dkim;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the DKIM keys of report e-mails are looked up ({@code dkim.*} settings).
 *
 * @param resolver the DNS resolver asked for keys: {@code host:port}, {@code host} (port 53), or
 *     {@code [ipv6]:port}; empty for the system's resolvers ({@code /etc/resolv.conf}). A host name
 *     is resolved once, when the verifier is built.
 * @param timeout how long one key lookup waits for the resolver; a lookup that takes longer makes
 *     the verdict TEMPERROR (the report is retried later, not rejected)
 * @param maxSignatures the most DKIM-Signature fields a message may carry: each costs a key lookup,
 *     so a message with more fails without any lookup
 */
public record DkimSettings(String resolver, Duration timeout, int maxSignatures) {
  /** The system's resolvers, 5 seconds, 10 signatures. */
  public static final DkimSettings DEFAULTS = new DkimSettings("", Duration.ofSeconds(5), 10);

  private static final int DNS_PORT = 53;

  public DkimSettings {
    resolver = Objects.requireNonNull(resolver, "resolver").strip();
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "DKIM key lookup timeout must be positive, not " + timeout);
    }
    if (maxSignatures < 1) {
      throw new IllegalArgumentException(
          "DKIM max signatures must be at least 1, not " + maxSignatures);
    }
    if (!resolver.isEmpty()) {
      parse(resolver);
    }
  }

  /** The configured resolver (not yet resolved if given by name), or empty for the system's. */
  public Optional<InetSocketAddress> resolverAddress() {
    return resolver.isEmpty() ? Optional.empty() : Optional.of(parse(resolver));
  }

  private static InetSocketAddress parse(String s) {
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0 || (end + 1 < s.length() && s.charAt(end + 1) != ':')) {
        throw notHostPort(s);
      }
      host = s.substring(1, end);
      port = end + 1 < s.length() ? s.substring(end + 2) : null;
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      host = s; // a bare IPv6 address
    } else {
      int colon = s.indexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
    }
    if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      throw notHostPort(s);
    }
    int p = DNS_PORT;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw notHostPort(s);
      }
      if (p < 1 || p > 65535) {
        throw notHostPort(s);
      }
    }
    return InetSocketAddress.createUnresolved(host, p);
  }

  private static IllegalArgumentException notHostPort(String s) {
    return new IllegalArgumentException(
        "DKIM resolver '"
            + s
            + "' is not host:port (e.g. 127.0.0.1:53, [::1]:53 or dns.example.net), nor empty for"
            + " the system's resolvers");
  }
}

package org.tlsrpt.posture;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link PostureChecker} needs, each redirectable for tests and private networks.
 *
 * @param dnsServer {@code host:port} (IPv6 as {@code [::1]:53}) of the DNS server to ask, or {@code
 *     system} for the system's resolvers
 * @param httpsPort port of the policy host (443)
 * @param smtpPort port of the MX hosts (25)
 * @param trustStore PKCS12 or JKS trust store for the policy host and MX certificates; null uses
 *     the JDK's
 * @param trustStorePassword its password (may be empty)
 * @param timeout for each DNS query, connection and read, and for each whole fetch or SMTP dialogue
 * @param ehloName the name sent in EHLO
 * @param expiryWarnDays a certificate expiring within this many days is a warning
 * @param clock "now" for certificate validity and the check's time stamp
 * @param maxPolicyBytes largest policy file read (headers excluded)
 */
public record CheckOptions(
    String dnsServer,
    int httpsPort,
    int smtpPort,
    Path trustStore,
    String trustStorePassword,
    Duration timeout,
    String ehloName,
    int expiryWarnDays,
    Clock clock,
    long maxPolicyBytes) {

  public static final String SYSTEM_RESOLVER = "system";

  public CheckOptions {
    Objects.requireNonNull(dnsServer, "dnsServer");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(ehloName, "ehloName");
    Objects.requireNonNull(clock, "clock");
    trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
    checkPort("httpsPort", httpsPort);
    checkPort("smtpPort", smtpPort);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
    if (expiryWarnDays < 0) {
      throw new IllegalArgumentException("expiryWarnDays must be 0 or more, not " + expiryWarnDays);
    }
    if (maxPolicyBytes <= 0) {
      throw new IllegalArgumentException("maxPolicyBytes must be positive, not " + maxPolicyBytes);
    }
    if (ehloName.isBlank() || ehloName.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException(
          "ehloName must be a host name without spaces, not '" + ehloName + "'");
    }
    resolverAddress(dnsServer); // validates the form
  }

  /** Defaults for a real check: system resolvers, ports 443 and 25, the JDK's trust store. */
  public static CheckOptions defaults(Clock clock) {
    return new CheckOptions(
        SYSTEM_RESOLVER, 443, 25, null, "", Duration.ofSeconds(10), "localhost", 14, clock, 65536);
  }

  /** The DNS server to ask, or empty for the system's resolvers. */
  public Optional<InetSocketAddress> resolverAddress() {
    return resolverAddress(dnsServer);
  }

  private static Optional<InetSocketAddress> resolverAddress(String dnsServer) {
    String s = dnsServer.trim();
    if (s.equalsIgnoreCase(SYSTEM_RESOLVER) || s.isEmpty()) {
      return Optional.empty();
    }
    String host;
    String port;
    if (s.startsWith("[")) {
      int end = s.indexOf("]:");
      if (end < 0) {
        throw badServer(dnsServer);
      }
      host = s.substring(1, end);
      port = s.substring(end + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || s.indexOf(':') != colon) {
        host = s;
        port = "53";
      } else {
        host = s.substring(0, colon);
        port = s.substring(colon + 1);
      }
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw badServer(dnsServer);
    }
    if (p < 1 || p > 65535 || host.isBlank()) {
      throw badServer(dnsServer);
    }
    // host names of the resolver itself are looked up by the system, once, here
    InetSocketAddress a = new InetSocketAddress(host, p);
    if (a.isUnresolved()) {
      throw new IllegalArgumentException("DNS server '" + host + "' cannot be resolved");
    }
    return Optional.of(a);
  }

  private static IllegalArgumentException badServer(String s) {
    return new IllegalArgumentException(
        "DNS server must be host:port, [IPv6]:port or 'system', not '" + s + "'");
  }

  private static void checkPort(String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 1..65535, not " + port);
    }
  }
}

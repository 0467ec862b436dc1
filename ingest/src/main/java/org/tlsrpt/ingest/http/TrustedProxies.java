package org.tlsrpt.ingest.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} the HTTPS receiver believes ({@code
 * http.trusted_proxies}). Behind a TLS proxy every request comes from the proxy's address, so the
 * per-client rate limit would put every reporter into one bucket; from a trusted peer, the client
 * is the right-most address of the header that is not itself a trusted proxy. From any other peer
 * the header is ignored, since anyone can send it.
 */
public final class TrustedProxies {
  /** Trusts no one: the client is always the socket's peer. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private record Range(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Reads a comma-separated list of addresses and CIDR ranges ({@code 10.0.0.5, 10.1.0.0/16,
   * fd00::/8}); blank trusts no one.
   *
   * @throws IllegalArgumentException naming the entry that is not an address or a range (host names
   *     are refused: they would need DNS, and DNS can lie)
   */
  public static TrustedProxies parse(String list) {
    List<Range> ranges = new ArrayList<>();
    for (String raw : list.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      String[] parts = entry.split("/", 2);
      InetAddress address = literal(parts[0].trim());
      if (address == null) {
        throw new IllegalArgumentException(
            "'" + entry + "' is not an IP address or a CIDR range such as 10.0.0.0/8");
      }
      byte[] network = address.getAddress();
      int prefix = network.length * 8;
      if (parts.length == 2) {
        try {
          prefix = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > network.length * 8) {
          throw new IllegalArgumentException(
              "'" + entry + "' has a prefix length outside 0.." + network.length * 8);
        }
      }
      ranges.add(new Range(network, prefix));
    }
    return new TrustedProxies(ranges);
  }

  /** An IP literal (IPv6 may be in brackets), or null when it is not one (never a DNS lookup). */
  private static InetAddress literal(String s) {
    String bare = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    try {
      return InetAddress.ofLiteral(bare);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  boolean trusts(InetAddress address) {
    byte[] bytes = address.getAddress();
    return ranges.stream().anyMatch(r -> r.contains(bytes));
  }

  /**
   * The client a request came from.
   *
   * @param peer the socket's peer address
   * @param forwardedFor every {@code X-Forwarded-For} header of the request, in order (null or
   *     empty when there is none)
   * @return the peer, unless it is a trusted proxy and the header names an address beyond it: then
   *     the right-most address that is not a trusted proxy (an entry that is not an IP address ends
   *     the walk at the proxy that added it)
   */
  public String client(InetAddress peer, List<String> forwardedFor) {
    String client = peer.getHostAddress();
    if (ranges.isEmpty() || forwardedFor == null || !trusts(peer)) {
      return client;
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        if (!hop.isBlank()) {
          hops.add(hop.trim());
        }
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress hop = literal(hops.get(i));
      if (hop == null) {
        return client;
      }
      client = hop.getHostAddress();
      if (!trusts(hop)) {
        return client;
      }
    }
    return client;
  }
}

package org.tlsrpt.posture;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DNS queries of one check through the configured resolver, nothing cached between checks. Once the
 * resolver has failed to answer, later queries of the same check fail at once with the same reason
 * instead of waiting for the timeout again.
 */
final class DnsProbe {

  /** The outcome of one query. */
  sealed interface Answer<T> {
    record Found<T>(List<T> values) implements Answer<T> {}

    /** NXDOMAIN, or the name exists without records of the type (NODATA). */
    record Missing<T>(boolean nxdomain) implements Answer<T> {}

    /** No usable answer: timeout, SERVFAIL, REFUSED, a network error. */
    record Failed<T>(String reason) implements Answer<T> {}
  }

  /** One MX record: the target host (lower-case, no trailing dot) and its preference. */
  record Mx(String host, int preference) {}

  private final Resolver resolver;
  private final Duration timeout;
  private final String description;
  private String brokenReason;

  DnsProbe(CheckOptions options) {
    timeout = options.timeout();
    if (options.resolverAddress().isPresent()) {
      SimpleResolver simple = new SimpleResolver(options.resolverAddress().get());
      simple.setTimeout(timeout);
      resolver = simple;
      description = "DNS server " + options.dnsServer();
    } else {
      ExtendedResolver system = new ExtendedResolver();
      system.setTimeout(timeout);
      resolver = system;
      description = "the system's DNS resolvers";
    }
  }

  /** TXT records of the name, the strings of each record joined. */
  Answer<String> txt(String name) {
    return query(name, Type.TXT, DnsProbe::joined);
  }

  Answer<Mx> mx(String domain) {
    return query(
        domain,
        Type.MX,
        r -> {
          MXRecord mx = (MXRecord) r;
          return new Mx(hostName(mx.getTarget()), mx.getPriority());
        });
  }

  /** A then AAAA records; Missing only when the name has neither. */
  Answer<InetAddress> addresses(String host) {
    Answer<InetAddress> v4 = query(host, Type.A, r -> ((ARecord) r).getAddress());
    if (v4 instanceof Answer.Failed<InetAddress> || brokenReason != null) {
      return v4;
    }
    Answer<InetAddress> v6 = query(host, Type.AAAA, r -> ((AAAARecord) r).getAddress());
    List<InetAddress> all = new ArrayList<>();
    if (v4 instanceof Answer.Found<InetAddress>(List<InetAddress> values)) {
      all.addAll(values);
    }
    if (v6 instanceof Answer.Found<InetAddress>(List<InetAddress> values)) {
      all.addAll(values);
    }
    if (!all.isEmpty()) {
      return new Answer.Found<>(all);
    }
    if (v6 instanceof Answer.Failed<InetAddress>) {
      return v6;
    }
    return v4;
  }

  private interface Mapper<T> {
    T map(Record r);
  }

  private <T> Answer<T> query(String name, int type, Mapper<T> mapper) {
    if (brokenReason != null) {
      return new Answer.Failed<>(brokenReason);
    }
    Name n;
    try {
      n = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return new Answer.Failed<>("'" + name + "' is not a valid DNS name");
    }
    Lookup lookup = new Lookup(n, type);
    lookup.setResolver(resolver);
    lookup.setCache(null);
    lookup.setSearchPath((Name[]) null);
    long started = System.nanoTime();
    Record[] records = lookup.run();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return switch (lookup.getResult()) {
      case Lookup.SUCCESSFUL -> {
        List<T> values = new ArrayList<>();
        for (Record r : records) {
          if (r.getType() == type) {
            values.add(mapper.map(r));
          }
        }
        yield values.isEmpty() ? new Answer.Missing<>(false) : new Answer.Found<>(values);
      }
      case Lookup.HOST_NOT_FOUND -> new Answer.Missing<>(true);
      case Lookup.TYPE_NOT_FOUND -> new Answer.Missing<>(false);
      default -> {
        // dnsjava reports a timeout as a network error; the elapsed time tells them apart
        boolean timedOut = took.compareTo(timeout) >= 0;
        String reason =
            (timedOut ? "no answer within " + timeout.toMillis() + " ms" : lookup.getErrorString())
                + " from "
                + description;
        String error = lookup.getErrorString();
        if (timedOut || error.contains("timed out") || error.contains("network error")) {
          brokenReason = reason;
        }
        yield new Answer.Failed<>(reason);
      }
    };
  }

  private static String joined(Record r) {
    StringBuilder b = new StringBuilder();
    for (byte[] s : ((TXTRecord) r).getStringsAsByteArrays()) {
      b.append(new String(s, StandardCharsets.ISO_8859_1));
    }
    return b.toString();
  }

  static String hostName(Name name) {
    String s = name.toString(true);
    return s.toLowerCase(java.util.Locale.ROOT);
  }
}

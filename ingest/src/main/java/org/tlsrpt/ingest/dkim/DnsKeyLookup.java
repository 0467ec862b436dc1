package org.tlsrpt.ingest.dkim;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Fetches DKIM key records ({@code selector._domainkey.domain} TXT) through the configured
 * resolver, with nothing cached between lookups, so a changed or revoked key is seen at once. A
 * record's strings are joined (RFC 6376 §3.6.2.2). A name that does not exist, or has no TXT
 * record, fails permanently; a timeout, an unreachable resolver or an error answer (SERVFAIL,
 * REFUSED) fails temporarily.
 */
final class DnsKeyLookup implements PublicKeyRecordRetriever {
  private final Resolver resolver;
  private final Duration timeout;
  private final String description;

  DnsKeyLookup(DkimSettings settings) {
    timeout = settings.timeout();
    if (settings.resolverAddress().isPresent()) {
      InetSocketAddress configured = settings.resolverAddress().get();
      InetSocketAddress address =
          new InetSocketAddress(configured.getHostString(), configured.getPort());
      if (address.isUnresolved()) {
        throw new IllegalArgumentException(
            "DKIM resolver host '" + configured.getHostString() + "' cannot be resolved");
      }
      SimpleResolver simple = new SimpleResolver(address);
      simple.setTimeout(timeout);
      resolver = simple;
      description = "resolver " + settings.resolver() + ", timeout " + timeout.toMillis() + " ms";
    } else {
      ExtendedResolver system = new ExtendedResolver();
      system.setTimeout(timeout);
      resolver = system;
      description = "the system's resolvers, timeout " + timeout.toMillis() + " ms";
    }
  }

  @Override
  public List<String> getRecords(CharSequence method, CharSequence selector, CharSequence domain)
      throws TempFailException, PermFailException {
    if (!"dns/txt".contentEquals(method)) {
      throw new PermFailException("key query method q=" + method + " is not supported");
    }
    String d = domain.toString();
    Name name;
    try {
      name =
          Name.fromString(
              selector + "._domainkey." + (d.endsWith(".") ? d.substring(0, d.length() - 1) : d),
              Name.root);
    } catch (TextParseException e) {
      throw new PermFailException(
          "key name " + selector + "._domainkey." + d + " is not a valid DNS name", e);
    }
    Lookup lookup = new Lookup(name, Type.TXT);
    lookup.setResolver(resolver);
    lookup.setCache(null); // a cache of this lookup only
    long started = System.nanoTime();
    Record[] answers = lookup.run();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String shown = name.toString(true);
    return switch (lookup.getResult()) {
      case Lookup.SUCCESSFUL -> joined(answers);
      case Lookup.HOST_NOT_FOUND ->
          throw new PermFailException("key not found: " + shown + " does not exist (NXDOMAIN)");
      case Lookup.TYPE_NOT_FOUND ->
          throw new PermFailException("key not found: " + shown + " has no TXT record");
      default ->
          throw new TempFailException(
              "key lookup of "
                  + shown
                  + " failed for now ("
                  // dnsjava calls a timeout a network error
                  + (took.compareTo(timeout) >= 0 ? "no answer in time" : lookup.getErrorString())
                  + "; "
                  + description
                  + ")");
    };
  }

  private static List<String> joined(Record[] answers) {
    List<String> records = new ArrayList<>();
    for (Record r : answers) {
      if (r instanceof TXTRecord txt) {
        StringBuilder b = new StringBuilder();
        for (byte[] s : txt.getStringsAsByteArrays()) {
          b.append(new String(s, StandardCharsets.ISO_8859_1));
        }
        records.add(b.toString());
      }
    }
    return records;
  }
}

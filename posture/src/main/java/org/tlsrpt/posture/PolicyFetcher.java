package org.tlsrpt.posture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Fetches {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} as a sender would (RFC 8461 §3.3):
 * the host resolved through the check's DNS, TLS with SNI, the certificate trusted and naming the
 * host, HTTP/1.1 GET, status 200 only (redirects refused), {@code text/plain}, within the size and
 * time limits. A small client of its own, since the JDK's HttpClient resolves through the system.
 */
final class PolicyFetcher {
  static final String FETCH = "policy.fetch";
  static final String CONTENT_TYPE = "policy.content_type";
  static final String PATH = "/.well-known/mta-sts.txt";
  private static final int MAX_HEADER_LINES = 100;

  /** The findings of the fetch, and the body when one was received with status 200. */
  record Fetched(List<Finding> findings, byte[] body) {}

  private final CheckOptions options;
  private final CertificateChecks certificates;

  PolicyFetcher(CheckOptions options, CertificateChecks certificates) {
    this.options = options;
    this.certificates = certificates;
  }

  Fetched fetch(String domain, DnsProbe dns) {
    String host = "mta-sts." + domain;
    String url = "https://" + host + PATH;
    List<Finding> findings = new ArrayList<>();
    List<InetAddress> addresses;
    switch (dns.addresses(host)) {
      case DnsProbe.Answer.Found<InetAddress>(List<InetAddress> values) -> addresses = values;
      case DnsProbe.Answer.Missing<InetAddress> m -> {
        findings.add(
            Finding.fail(
                FETCH,
                url,
                host + " has no A or AAAA record" + (m.nxdomain() ? " (NXDOMAIN)" : ""),
                "publish an A or AAAA record for " + host + " pointing at the policy web server"));
        return new Fetched(findings, null);
      }
      case DnsProbe.Answer.Failed<InetAddress> f -> {
        findings.add(
            Finding.fail(
                FETCH,
                url,
                "cannot resolve " + host + ": " + f.reason(),
                "check the DNS servers of " + domain));
        return new Fetched(findings, null);
      }
    }
    InetAddress address = addresses.getFirst();
    String where = host + " [" + address.getHostAddress() + "]:" + options.httpsPort();
    try (TimedConnection c =
        TimedConnection.open(address, options.httpsPort(), options.timeout())) {
      TlsHandshake.Peer peer;
      try {
        peer = TlsHandshake.over(c.socket(), host);
      } catch (SocketTimeoutException e) {
        throw c.timedOut();
      }
      c.use(peer.socket());
      List<Finding> certs = certificates.judge("policy", host, peer.chain());
      findings.addAll(certs);
      if (certs.stream().anyMatch(f -> f.status() == Status.FAIL)) {
        findings.add(
            Finding.fail(
                FETCH,
                url,
                "not fetched: senders refuse the policy host's certificate (see the"
                    + " policy.certificate findings)",
                "fix the certificate of " + host));
        return new Fetched(findings, null);
      }
      return exchange(c, host, url, where, findings);
    } catch (SocketTimeoutException e) {
      findings.add(
          Finding.fail(
              FETCH,
              url,
              where + ": " + e.getMessage(),
              "check that the policy web server answers HTTPS on port " + options.httpsPort()));
    } catch (SSLException e) {
      findings.add(
          Finding.fail(
              FETCH,
              url,
              where + ": TLS handshake failed: " + e.getMessage(),
              "serve HTTPS with a valid certificate for " + host));
    } catch (IOException e) {
      findings.add(
          Finding.fail(
              FETCH,
              url,
              where + ": " + describe(e),
              "check that the policy web server answers HTTPS on port " + options.httpsPort()));
    }
    return new Fetched(findings, null);
  }

  private Fetched exchange(
      TimedConnection c, String host, String url, String where, List<Finding> findings)
      throws IOException {
    c.write(
        "GET "
            + PATH
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nUser-Agent: tlsrpt-check\r\nAccept: text/plain\r\nConnection: close\r\n\r\n");
    String statusLine = c.readLine();
    if (statusLine == null || !statusLine.matches("HTTP/1\\.[01] \\d{3}( .*)?")) {
      findings.add(
          Finding.fail(
              FETCH,
              url,
              where + ": not an HTTP/1.1 answer: '" + (statusLine == null ? "" : statusLine) + "'",
              "serve the policy over HTTPS with HTTP/1.1"));
      return new Fetched(findings, null);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      String line = c.readLine();
      if (line == null || line.isEmpty()) {
        break;
      }
      if (i == MAX_HEADER_LINES) {
        throw new IOException("more than " + MAX_HEADER_LINES + " header lines");
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.merge(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip(),
            (a, b) -> a + ", " + b);
      }
    }
    if (status >= 300 && status < 400) {
      findings.add(
          Finding.fail(
                  FETCH,
                  url,
                  "HTTP "
                      + status
                      + " redirect to "
                      + headers.getOrDefault("location", "(no Location)")
                      + ": senders must not follow redirects (RFC 8461 §3.3)",
                  "serve the policy file itself at " + url)
              .with("http_status", Integer.toString(status)));
      return new Fetched(findings, null);
    }
    if (status != 200) {
      findings.add(
          Finding.fail(
                  FETCH,
                  url,
                  "HTTP " + status + " (" + statusLine.substring(12).strip() + ")",
                  "serve the policy file at " + url + " with status 200")
              .with("http_status", Integer.toString(status)));
      return new Fetched(findings, null);
    }
    byte[] body = body(c, headers);
    if (body == null) {
      findings.add(
          Finding.fail(
              FETCH,
              url,
              "the policy is larger than " + options.maxPolicyBytes() + " bytes",
              "a policy is a few lines: serve only the policy file at " + url));
      return new Fetched(findings, null);
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("address", where);
    facts.put("http_status", "200");
    facts.put("bytes", Integer.toString(body.length));
    findings.add(Finding.ok(FETCH, url, "fetched " + body.length + " bytes from " + where, facts));
    String type = headers.getOrDefault("content-type", "");
    String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (mediaType.equals("text/plain")) {
      findings.add(Finding.ok(CONTENT_TYPE, url, "Content-Type " + type));
    } else {
      findings.add(
          Finding.fail(
              CONTENT_TYPE,
              url,
              type.isEmpty()
                  ? "no Content-Type: senders expect text/plain"
                  : "Content-Type is '" + type + "', not text/plain: senders may reject the policy",
              "serve " + PATH + " as text/plain"));
    }
    return new Fetched(findings, body);
  }

  /** The body (Content-Length, chunked or up to the end), or null when over the limit. */
  private byte[] body(TimedConnection c, Map<String, String> headers) throws IOException {
    long max = options.maxPolicyBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (headers
        .getOrDefault("transfer-encoding", "")
        .toLowerCase(Locale.ROOT)
        .contains("chunked")) {
      while (true) {
        String sizeLine = c.readLine();
        if (sizeLine == null) {
          throw new IOException("the chunked body ends early");
        }
        long size;
        try {
          size = Long.parseLong(sizeLine.split(";", 2)[0].strip(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size '" + sizeLine + "'");
        }
        if (size == 0) {
          return out.toByteArray();
        }
        if (out.size() + size > max) {
          return null;
        }
        copy(c, out, size);
        c.readLine(); // the CRLF after the chunk
      }
    }
    String length = headers.get("content-length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length '" + length + "'");
      }
      if (n > max) {
        return null;
      }
      copy(c, out, n);
      return out.toByteArray();
    }
    byte[] buf = new byte[8192];
    int r;
    while ((r = c.read(buf, 0, buf.length)) >= 0) {
      out.write(buf, 0, r);
      if (out.size() > max) {
        return null;
      }
    }
    return out.toByteArray();
  }

  private static void copy(TimedConnection c, ByteArrayOutputStream out, long n)
      throws IOException {
    byte[] buf = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = c.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new IOException("the body ends after " + (n - left) + " of " + n + " bytes");
      }
      out.write(buf, 0, r);
      left -= r;
    }
  }

  static String describe(IOException e) {
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return switch (e) {
      case java.net.ConnectException ce -> "connection refused or unreachable (" + m + ")";
      case java.net.UnknownHostException u -> "unknown host " + m;
      default -> m == null ? kind : m;
    };
  }
}

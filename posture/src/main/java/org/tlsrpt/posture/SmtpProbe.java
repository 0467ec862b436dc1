package org.tlsrpt.posture;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * One SMTP dialogue with an MX host, as a sending MTA starts it: banner, EHLO, STARTTLS, the TLS
 * handshake with SNI, then QUIT. No mail is sent. The certificate chain is kept for {@link
 * CertificateChecks}.
 */
final class SmtpProbe {
  static final String SMTP = "mx.smtp";
  static final String STARTTLS = "mx.starttls";

  /** The findings {@code mx.smtp} and {@code mx.starttls}, and the chain when TLS was reached. */
  record Probed(List<Finding> findings, List<X509Certificate> chain) {}

  private final CheckOptions options;

  SmtpProbe(CheckOptions options) {
    this.options = options;
  }

  /** Tries the host's addresses in order; the first that accepts a connection is used. */
  Probed probe(String host, List<InetAddress> addresses) {
    List<String> refused = new ArrayList<>();
    for (InetAddress a : addresses) {
      TimedConnection c;
      try {
        c = TimedConnection.open(a, options.smtpPort(), options.timeout());
      } catch (IOException e) {
        refused.add(a.getHostAddress() + ": " + PolicyFetcher.describe(e));
        continue;
      }
      try (c) {
        return dialogue(c, host, a.getHostAddress() + ":" + options.smtpPort());
      }
    }
    return new Probed(
        List.of(
            Finding.fail(
                SMTP,
                host,
                "cannot connect on port " + options.smtpPort() + ": " + String.join("; ", refused),
                "check that " + host + " accepts SMTP connections on port " + options.smtpPort()),
            Finding.notChecked(STARTTLS, host, "no SMTP connection")),
        List.of());
  }

  private Probed dialogue(TimedConnection c, String host, String where) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("address", where);
    String step = "banner";
    List<Finding> findings = new ArrayList<>();
    try {
      SmtpReply banner = SmtpReply.read(c);
      if (banner.code() != 220) {
        findings.add(
            Finding.fail(
                    SMTP,
                    host,
                    where + " greets with '" + banner.first() + "' instead of 220",
                    "make " + host + " accept mail with a 220 greeting")
                .with(facts));
        findings.add(Finding.notChecked(STARTTLS, host, "the server refused the session"));
        return new Probed(findings, List.of());
      }
      facts.put("banner", banner.first());
      step = "EHLO";
      c.write("EHLO " + options.ehloName() + "\r\n");
      SmtpReply ehlo = SmtpReply.read(c);
      if (ehlo.code() != 250) {
        findings.add(
            Finding.fail(
                    SMTP,
                    host,
                    where + " answers EHLO with '" + ehlo.first() + "'",
                    "make " + host + " accept EHLO (ESMTP) from senders")
                .with(facts));
        findings.add(Finding.notChecked(STARTTLS, host, "EHLO was refused"));
        return new Probed(findings, List.of());
      }
      findings.add(Finding.ok(SMTP, host, "SMTP at " + where + ": " + banner.first(), facts));
      boolean offered =
          ehlo.lines().stream()
              .anyMatch(l -> l.strip().toUpperCase(Locale.ROOT).equals("STARTTLS"));
      if (!offered) {
        findings.add(
            Finding.fail(
                STARTTLS,
                host,
                "STARTTLS is not offered in the EHLO answer: MTA-STS senders will not deliver",
                "enable STARTTLS on " + host + " with a certificate for its name"));
        return new Probed(findings, List.of());
      }
      step = "STARTTLS";
      c.write("STARTTLS\r\n");
      SmtpReply go = SmtpReply.read(c);
      if (go.code() != 220) {
        findings.add(
            Finding.fail(
                STARTTLS,
                host,
                "STARTTLS is offered but answered '" + go.first() + "'",
                "fix the TLS configuration of " + host));
        return new Probed(findings, List.of());
      }
      step = "TLS handshake";
      c.arm();
      TlsHandshake.Peer peer;
      try {
        peer = TlsHandshake.over(c.socket(), host);
      } catch (SocketTimeoutException e) {
        throw c.timedOut();
      }
      c.use(peer.socket());
      Map<String, String> tls = new LinkedHashMap<>();
      tls.put("protocol", peer.protocol());
      tls.put("cipher", peer.cipher());
      findings.add(
          Finding.ok(
              STARTTLS,
              host,
              "STARTTLS offered and accepted: " + peer.protocol() + ", " + peer.cipher(),
              tls));
      try {
        c.write("QUIT\r\n");
        SmtpReply.read(c);
      } catch (IOException e) {
        // the dialogue's outcome is known; a rude goodbye changes nothing
      }
      return new Probed(findings, peer.chain());
    } catch (SSLException e) {
      findings.add(
          Finding.fail(
              STARTTLS,
              host,
              "TLS handshake failed: " + e.getMessage(),
              "fix the TLS configuration of " + host + " (protocols, ciphers, certificate)"));
    } catch (IOException e) {
      String id = step.equals("TLS handshake") || step.equals("STARTTLS") ? STARTTLS : SMTP;
      findings.add(
          Finding.fail(
              id,
              host,
              where + ": at the " + step + ": " + PolicyFetcher.describe(e),
              "check that "
                  + host
                  + " runs an SMTP server that answers on port "
                  + options.smtpPort()));
      if (id.equals(SMTP)) {
        findings.add(Finding.notChecked(STARTTLS, host, "the SMTP dialogue did not complete"));
      }
    }
    return new Probed(findings, List.of());
  }
}

package org.tlsrpt.posture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Judges a server's certificate chain three ways, each its own finding: whether it leads to a
 * trusted root (from the chain the server sent only: missing intermediates are not fetched),
 * whether the leaf names the host (RFC 6125 DNS-ID in subjectAltName, a wildcard only as the whole
 * left-most label), and how many days are left before it expires, by the configured clock.
 */
final class CertificateChecks {
  private final Set<TrustAnchor> anchors;
  private final Set<String> anchorSubjects = new HashSet<>();
  private final Clock clock;
  private final int warnDays;

  CertificateChecks(Set<TrustAnchor> anchors, Clock clock, int warnDays) {
    this.anchors = Set.copyOf(anchors);
    this.clock = clock;
    this.warnDays = warnDays;
    for (TrustAnchor a : anchors) {
      anchorSubjects.add(a.getTrustedCert().getSubjectX500Principal().getName());
    }
  }

  /** The roots of a PKCS12 or JKS trust store, or of the JDK's default one when it is null. */
  static Set<TrustAnchor> anchors(Path trustStore, String password) {
    try {
      KeyStore ks = null;
      if (trustStore != null) {
        try (InputStream in = Files.newInputStream(trustStore)) {
          ks = KeyStore.getInstance(trustStore.toFile(), password.toCharArray());
          ks.load(in, password.toCharArray());
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      Set<TrustAnchor> out = new HashSet<>();
      for (var tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers()) {
            out.add(new TrustAnchor(c, null));
          }
        }
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(
            "the trust store " + (trustStore == null ? "of the JDK" : trustStore) + " is empty");
      }
      return out;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the trust store " + trustStore + " (wrong password?): " + e.getMessage(), e);
    }
  }

  /** The findings {@code PREFIX.certificate_trust}, {@code _name} and {@code _expiry}. */
  List<Finding> judge(String prefix, String host, List<X509Certificate> chain) {
    if (chain.isEmpty()) {
      return List.of(
          Finding.fail(
              prefix + ".certificate_trust",
              host,
              "the server sent no certificate",
              "configure a certificate for " + host));
    }
    return List.of(
        trust(prefix, host, chain),
        name(prefix, host, chain.getFirst()),
        expiry(prefix, host, chain));
  }

  private Finding trust(String prefix, String host, List<X509Certificate> chain) {
    String id = prefix + ".certificate_trust";
    X509Certificate leaf = chain.getFirst();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("subject", leaf.getSubjectX500Principal().getName());
    facts.put("issuer", leaf.getIssuerX500Principal().getName());
    facts.put("chain_length", Integer.toString(chain.size()));
    String problem = pathProblem(chain, clock.instant());
    if (problem != null && outsideValidity(chain, clock.instant())) {
      // expiry is its own finding: judge trust as of a moment the leaf was valid
      problem = pathProblem(chain, leaf.getNotBefore().toInstant().plusSeconds(1));
    }
    if (problem == null) {
      return Finding.ok(id, host, "chain trusted (issued by " + facts.get("issuer") + ")", facts);
    }
    return new Finding(
        id,
        Status.FAIL,
        host,
        "untrusted chain: " + problem,
        problem.contains("intermediate")
            ? "configure the server to send the intermediate certificate(s) after its own"
            : "use a certificate from a certification authority senders trust, with its full chain",
        facts);
  }

  private String pathProblem(List<X509Certificate> chain, Instant at) {
    X509Certificate leaf = chain.getFirst();
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters p = new PKIXBuilderParameters(anchors, target);
      p.setRevocationEnabled(false);
      p.setDate(Date.from(at));
      p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
      CertPathBuilder.getInstance("PKIX").build(p);
      return null;
    } catch (CertPathBuilderException e) {
      return explain(chain, e);
    } catch (GeneralSecurityException e) {
      return "cannot validate the chain: " + e.getMessage();
    }
  }

  private String explain(List<X509Certificate> chain, CertPathBuilderException e) {
    X509Certificate leaf = chain.getFirst();
    X509Certificate last = chain.getLast();
    boolean lastSelfSigned = last.getSubjectX500Principal().equals(last.getIssuerX500Principal());
    if (chain.size() == 1 && lastSelfSigned) {
      return "the certificate is self-signed and not in the trust store";
    }
    if (!lastSelfSigned && !anchorSubjects.contains(last.getIssuerX500Principal().getName())) {
      return "the chain sent ends at '"
          + last.getSubjectX500Principal().getName()
          + "', whose issuer '"
          + last.getIssuerX500Principal().getName()
          + "' is neither sent by the server nor in the trust store (a missing intermediate"
          + " certificate?)";
    }
    if (lastSelfSigned && !anchors.stream().anyMatch(a -> a.getTrustedCert().equals(last))) {
      return "the chain ends at the root '"
          + last.getSubjectX500Principal().getName()
          + "', which is not in the trust store";
    }
    return "no valid path from '"
        + leaf.getSubjectX500Principal().getName()
        + "' to a trusted root ("
        + e.getMessage()
        + ")";
  }

  private static boolean outsideValidity(List<X509Certificate> chain, Instant at) {
    Date d = Date.from(at);
    return chain.stream().anyMatch(c -> d.after(c.getNotAfter()) || d.before(c.getNotBefore()));
  }

  private Finding name(String prefix, String host, X509Certificate leaf) {
    String id = prefix + ".certificate_name";
    List<String> names = dnsNames(leaf);
    Map<String, String> facts = Map.of("dns_names", String.join(",", names));
    for (String n : names) {
      if (nameMatches(n, host)) {
        return Finding.ok(id, host, "certificate names " + host + " (as " + n + ")", facts);
      }
    }
    String got =
        names.isEmpty()
            ? "the certificate has no DNS name in subjectAltName (the subject CN is not used)"
            : "the certificate names " + String.join(", ", names) + ", not " + host;
    return new Finding(
        id,
        Status.FAIL,
        host,
        "name mismatch: " + got,
        "get a certificate whose subjectAltName includes " + host + " (or *." + parent(host) + ")",
        facts);
  }

  private static String parent(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(dot + 1);
  }

  static List<String> dnsNames(X509Certificate c) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0))) {
            out.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // an unreadable extension names nothing
    }
    return out;
  }

  /**
   * RFC 6125 §6.4: equal ignoring case and a trailing dot, or {@code *.rest} where the wildcard is
   * the whole left-most label, matches one label, and {@code rest} has at least two labels.
   */
  static boolean nameMatches(String certName, String host) {
    String c = trimDot(certName.toLowerCase(Locale.ROOT));
    String h = trimDot(host.toLowerCase(Locale.ROOT));
    if (c.startsWith("*.")) {
      String rest = c.substring(2);
      int dot = h.indexOf('.');
      return rest.contains(".")
          && !rest.contains("*")
          && dot > 0
          && h.substring(dot + 1).equals(rest);
    }
    return !c.contains("*") && c.equals(h);
  }

  private static String trimDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private Finding expiry(String prefix, String host, List<X509Certificate> chain) {
    String id = prefix + ".certificate_expiry";
    Instant now = clock.instant();
    X509Certificate soonest = chain.getFirst();
    for (X509Certificate c : chain) {
      if (c.getNotAfter().before(soonest.getNotAfter())) {
        soonest = c;
      }
    }
    X509Certificate leaf = chain.getFirst();
    String which =
        soonest == leaf
            ? "the certificate"
            : "the chain's certificate '" + soonest.getSubjectX500Principal().getName() + "'";
    Instant notAfter = soonest.getNotAfter().toInstant();
    long days = Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("not_before", leaf.getNotBefore().toInstant().toString());
    facts.put("not_after", notAfter.toString());
    facts.put("days_to_expiry", Long.toString(days));
    String renew = "renew the certificate of " + host + " and install it with its chain";
    if (now.isAfter(notAfter)) {
      return new Finding(id, Status.FAIL, host, which + " expired on " + notAfter, renew, facts);
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      return new Finding(
          id,
          Status.FAIL,
          host,
          "the certificate is not valid before " + leaf.getNotBefore().toInstant(),
          "check the server's clock and the certificate's validity dates",
          facts);
    }
    if (days < warnDays) {
      return new Finding(
          id,
          Status.WARN,
          host,
          which + " expires in " + days + " day" + (days == 1 ? "" : "s") + " (" + notAfter + ")",
          renew + " now (renewal should happen well before " + warnDays + " days are left)",
          facts);
    }
    return Finding.ok(id, host, "expires in " + days + " days (" + notAfter + ")", facts);
  }
}

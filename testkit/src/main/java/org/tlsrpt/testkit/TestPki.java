package org.tlsrpt.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A private test CA made with the openssl command: a root, an intermediate signed by it, and server
 * certificates signed by the intermediate (or self-signed). Server key stores hold the leaf with or
 * without the intermediate, so a server can be made to omit it. Used by the posture checks' tests
 * (MTA-STS policy hosts, STARTTLS MX hosts, DANE).
 */
public final class TestPki {
  public static final String PASSWORD = "changeit";
  public static final int LEAF_DAYS = 90;

  private final Path dir;
  private final Path rootKey;
  private final Path rootCert;
  private final Path intKey;
  private final Path intCert;

  public TestPki(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    rootKey = dir.resolve("root.key");
    rootCert = dir.resolve("root.crt");
    intKey = dir.resolve("int.key");
    intCert = dir.resolve("int.crt");
    Path ca =
        ext("ca", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        rootKey.toString(),
        "-out",
        rootCert.toString(),
        "-days",
        "3650",
        "-subj",
        "/CN=tlsrpt Test Root",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
    Path csr = dir.resolve("int.csr");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        intKey.toString(),
        "-out",
        csr.toString(),
        "-subj",
        "/CN=tlsrpt Test Intermediate");
    openssl(
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        rootCert.toString(),
        "-CAkey",
        rootKey.toString(),
        "-set_serial",
        "2",
        "-days",
        "3650",
        "-out",
        intCert.toString(),
        "-extfile",
        ca.toString());
  }

  /** A PKCS12 trust store holding only the root. */
  public Path trustStore() throws IOException, GeneralSecurityException {
    Path file = dir.resolve("trust.p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("root", read(rootCert));
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, PASSWORD.toCharArray());
    }
    return file;
  }

  /** Who signs a server certificate, and whether the server sends the intermediate. */
  public enum Issuer {
    INTERMEDIATE_SENT,
    INTERMEDIATE_NOT_SENT,
    SELF_SIGNED
  }

  /** A server key store for a leaf naming {@code dnsNames}, valid from now for LEAF_DAYS. */
  public Path server(String name, Issuer issuer, String... dnsNames)
      throws IOException, InterruptedException {
    return server(name, issuer, LEAF_DAYS, dnsNames);
  }

  /** A server key store for a leaf naming {@code dnsNames}, valid from now for {@code days}. */
  public Path server(String name, Issuer issuer, int days, String... dnsNames)
      throws IOException, InterruptedException {
    Path key = dir.resolve(name + ".key");
    Path cert = dir.resolve(name + ".crt");
    List<String> sans = new ArrayList<>();
    for (String d : dnsNames) {
      sans.add("DNS:" + d);
    }
    String extensions =
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
            + "extendedKeyUsage=serverAuth\nsubjectAltName="
            + String.join(",", sans)
            + "\n";
    Path ext = ext(name, extensions);
    if (issuer == Issuer.SELF_SIGNED) {
      openssl(
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          key.toString(),
          "-out",
          cert.toString(),
          "-days",
          Integer.toString(days),
          "-subj",
          "/CN=" + dnsNames[0],
          "-addext",
          "subjectAltName=" + String.join(",", sans));
    } else {
      Path csr = dir.resolve(name + ".csr");
      openssl(
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          key.toString(),
          "-out",
          csr.toString(),
          "-subj",
          "/CN=" + dnsNames[0]);
      openssl(
          "x509",
          "-req",
          "-in",
          csr.toString(),
          "-CA",
          intCert.toString(),
          "-CAkey",
          intKey.toString(),
          "-set_serial",
          Long.toString(System.nanoTime()),
          "-days",
          Integer.toString(days),
          "-out",
          cert.toString(),
          "-extfile",
          ext.toString());
    }
    Path p12 = dir.resolve(name + ".p12");
    List<String> export =
        new ArrayList<>(
            List.of(
                "pkcs12",
                "-export",
                "-inkey",
                key.toString(),
                "-in",
                cert.toString(),
                "-out",
                p12.toString(),
                "-passout",
                "pass:" + PASSWORD,
                "-name",
                "server"));
    if (issuer == Issuer.INTERMEDIATE_SENT) {
      export.addAll(List.of("-certfile", intCert.toString()));
    }
    openssl(export.toArray(String[]::new));
    return p12;
  }

  /** A server-side TLS context offering the key store's key and chain. */
  public static SSLContext context(Path p12) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  public static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** The certificate of a server made by {@link #server}, or "int" for the intermediate. */
  public X509Certificate certificate(String name) throws IOException, GeneralSecurityException {
    return read(dir.resolve(name + ".crt"));
  }

  /** The intermediate CA's certificate. */
  public X509Certificate intermediate() throws IOException, GeneralSecurityException {
    return read(intCert);
  }

  /** The hex digest ({@code SHA-256} or {@code SHA-512}) of bytes, as TLSA records write it. */
  public static String hex(String algorithm, byte[] data) throws GeneralSecurityException {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  private Path ext(String name, String text) throws IOException {
    Path f = dir.resolve(name + ".ext");
    Files.writeString(f, text);
    return f;
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }
}

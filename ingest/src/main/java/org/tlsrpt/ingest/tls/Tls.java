package org.tlsrpt.ingest.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material for the listeners: a server context from a PKCS12 key store, and for local use a
 * self-signed certificate made once with the JDK's own {@code keytool}.
 */
public final class Tls {
  private Tls() {}

  /** A server-side context offering the key and certificate chain in a PKCS12 file. */
  public static SSLContext server(Path pkcs12, char[] password) {
    try (InputStream in = Files.newInputStream(pkcs12)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot use " + pkcs12 + " as a PKCS12 key store (wrong password?): " + e.getMessage(),
          e);
    }
  }

  /** A client-side context trusting the certificates of a PKCS12 trust store. */
  public static SSLContext client(Path pkcs12, char[] password) {
    try (InputStream in = Files.newInputStream(pkcs12)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot use " + pkcs12 + " as a PKCS12 trust store: " + e.getMessage(), e);
    }
  }

  /**
   * Makes (once) a self-signed certificate for {@code hostName} and 127.0.0.1 in {@code
   * dir/self-signed.p12}, and its certificate alone in {@code dir/self-signed-trust.p12} for
   * clients that should trust it. Both use {@code password}.
   *
   * @return the key store
   */
  public static Path selfSigned(Path dir, String hostName, char[] password) {
    Path keys = dir.resolve("self-signed.p12");
    Path trust = dir.resolve("self-signed-trust.p12");
    if (Files.isRegularFile(keys) && Files.isRegularFile(trust)) {
      return keys;
    }
    try {
      Files.createDirectories(dir);
      Path cert = dir.resolve("self-signed.crt");
      Files.deleteIfExists(keys);
      Files.deleteIfExists(trust);
      String pw = new String(password);
      keytool(
          "-genkeypair",
          "-alias",
          "tlsrpt",
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-validity",
          "3650",
          "-dname",
          "CN=" + hostName,
          "-ext",
          "SAN=dns:" + hostName + ",dns:localhost,ip:127.0.0.1",
          "-keystore",
          keys.toString(),
          "-storetype",
          "PKCS12",
          "-storepass",
          pw);
      keytool(
          "-exportcert",
          "-alias",
          "tlsrpt",
          "-keystore",
          keys.toString(),
          "-storepass",
          pw,
          "-rfc",
          "-file",
          cert.toString());
      keytool(
          "-importcert",
          "-noprompt",
          "-alias",
          "tlsrpt",
          "-file",
          cert.toString(),
          "-keystore",
          trust.toString(),
          "-storetype",
          "PKCS12",
          "-storepass",
          pw);
      return keys;
    } catch (IOException e) {
      throw new IllegalStateException("cannot make a self-signed certificate in " + dir, e);
    }
  }

  private static void keytool(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }
}

package org.tlsrpt.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** The public samples beside the checkout, and wrappings of them. */
final class TestSamples {
  private TestSamples() {}

  static Path dir() {
    return org.tlsrpt.testkit.RepoLayout.samples();
  }

  static List<String> all() {
    try (Stream<Path> s = Files.list(dir())) {
      return s.map(f -> f.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(dir().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gzipMail(byte[] json) {
    String b64 =
        Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(gzip(json));
    return ("From: tlsrpt@mail.sender.example\r\nSubject: Report Domain: example.net Submitter: sender.example"
            + " Report-ID: <1@sender.example>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=tlsrpt; boundary=b\r\n\r\n--b\r\n"
            + "Content-Type: text/plain\r\n\r\nreport\r\n--b\r\nContent-Type: application/tlsrpt+gzip\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + b64
            + "\r\n--b--\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}

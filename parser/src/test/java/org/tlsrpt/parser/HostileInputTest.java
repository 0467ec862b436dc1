package org.tlsrpt.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrpt.parser.Reports.rejected;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tlsrpt.parser.rules.RejectCode;

/**
 * Hostile inputs are refused with the right code in bounded memory. These tests run in a JVM with a
 * 128 MiB heap (parser/pom.xml): a parser that inflated a bomb or buffered a huge string would die
 * with OutOfMemoryError instead of answering.
 */
class HostileInputTest {
  private static final long GIB = 1L << 30;
  private final ReportParser parser = new ReportParser();

  @BeforeAll
  static void theHeapIsSmall() {
    assertThat(Runtime.getRuntime().maxMemory())
        .as("hostile-input tests must run with a small heap (-Xmx128m)")
        .isLessThanOrEqualTo(160L << 20);
  }

  /**
   * gzip of '{' followed by {@code spaces} spaces: valid JSON so far, so only the size limit stops
   * it.
   */
  private static byte[] whitespaceBomb(long spaces) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz =
        new GZIPOutputStream(out, 1 << 16) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      gz.write('{');
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) ' ');
      for (long written = 0; written < spaces; written += chunk.length) {
        gz.write(chunk);
      }
    }
    return out.toByteArray();
  }

  /**
   * Seventeen gzip members of 64 MiB of white space each, the first opening a JSON object: a valid
   * gzip file (gzip -d would write all of it) that inflates to more than 1 GiB. Built from members
   * so that the test does not spend its time compressing a gibibyte.
   */
  private static byte[] gibibyteBomb() throws IOException {
    byte[] first = whitespaceBomb(64L << 20);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(first);
    byte[] member = whitespaceMember(64L << 20);
    for (long total = 64L << 20; total <= GIB; total += 64L << 20) {
      out.write(member);
    }
    return out.toByteArray();
  }

  private static byte[] whitespaceMember(long spaces) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) ' ');
      for (long written = 0; written < spaces; written += chunk.length) {
        gz.write(chunk);
      }
    }
    return out.toByteArray();
  }

  @Test
  void rejectsAGzipBombInflatingPastOneGibibyteAtTheDecompressedSizeLimit() throws IOException {
    byte[] bomb = gibibyteBomb();
    assertThat(bomb.length).isLessThan(4 << 20);
    ParseOutcome.Rejected r = rejected(parser.parse(bomb), RejectCode.SIZE_LIMIT);
    assertThat(r.detail()).contains("maxDecompressedBytes");
  }

  @Test
  void rejectsTheSameBombAsAnEmailAttachment() throws IOException {
    byte[] bomb = whitespaceBomb(128L << 20);
    byte[] mail =
        Inputs.reportMail(
            "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n",
            Inputs.base64Lines(bomb));
    rejected(parser.parse(mail), RejectCode.SIZE_LIMIT);
  }

  @Test
  void rejectsAZipBombAtTheDecompressedSizeLimit() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      zip.putNextEntry(new ZipEntry("report.json"));
      zip.write('{');
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) ' ');
      for (int i = 0; i < 256; i++) {
        zip.write(chunk);
      }
      zip.closeEntry();
    }
    rejected(parser.parse(out.toByteArray()), RejectCode.SIZE_LIMIT);
  }

  @Test
  void rejectsGzipInsideGzipAtDepthOne() {
    byte[] nested = Inputs.gzip(Inputs.gzip(Reports.with(j -> {})));
    rejected(parser.parse(nested), RejectCode.DEPTH_LIMIT);
  }

  @Test
  void rejectsOneHundredThousandDeepArraysInsideAReportAtTheJsonDepthLimit() {
    byte[] deep =
        ("{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")
            .getBytes(StandardCharsets.US_ASCII);
    rejected(parser.parse(deep), RejectCode.DEPTH_LIMIT);
  }

  @Test
  void rejectsOneHundredThousandDeepTopLevelArraysAtTheFirstToken() {
    byte[] deep = ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
    rejected(parser.parse(deep), RejectCode.INVALID_VALUE);
  }

  @Test
  void rejectsOneHundredThousandDeepObjectsInsideAReportAtTheJsonDepthLimit() {
    String deep =
        "{\"organization-name\":\"x\",\"x-ext\":"
            + "{\"a\":".repeat(100_000)
            + "1"
            + "}".repeat(100_001);
    rejected(parser.parse(deep.getBytes(StandardCharsets.US_ASCII)), RejectCode.DEPTH_LIMIT);
  }

  @Test
  void rejectsATruncatedGzipAsADecompressionError() {
    byte[] gz = Inputs.gzip(Reports.with(j -> {}));
    rejected(parser.parse(Arrays.copyOf(gz, gz.length / 2)), RejectCode.DECOMPRESSION_ERROR);
  }

  @Test
  void rejectsAFiftyMegabyteStringInsideGzipAtTheStringLimit() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      gz.write("{\"organization-name\":\"".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) 'a');
      for (int i = 0; i < 50; i++) {
        gz.write(chunk);
      }
      gz.write("\"}".getBytes(StandardCharsets.US_ASCII));
    }
    ParseOutcome.Rejected r = rejected(parser.parse(out.toByteArray()), RejectCode.SIZE_LIMIT);
    assertThat(r.detail()).contains("String value length");
  }

  @Test
  void rejectsAFiftyMegabytePlainJsonAtTheInputLimit() {
    byte[] big = new byte[50 << 20];
    Arrays.fill(big, (byte) 'a');
    byte[] head = "{\"organization-name\":\"".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, big, 0, head.length);
    big[big.length - 2] = '"';
    big[big.length - 1] = '}';
    rejected(parser.parse(big), RejectCode.SIZE_LIMIT);
  }

  @Test
  void rejectsDeeplyNestedMultipartsAtTheMimeDepthLimit() {
    StringBuilder m = new StringBuilder("Content-Type: multipart/mixed; boundary=b0\r\n\r\n");
    for (int i = 1; i < 5000; i++) {
      m.append("--b")
          .append(i - 1)
          .append("\r\nContent-Type: multipart/mixed; boundary=b")
          .append(i)
          .append("\r\n\r\n");
    }
    rejected(
        parser.parse(m.toString().getBytes(StandardCharsets.US_ASCII)), RejectCode.DEPTH_LIMIT);
  }

  @Test
  void rejectsAMessageWithTooManyPartsAtThePartLimit() {
    StringBuilder m = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
    for (int i = 0; i < 100_000; i++) {
      m.append("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n");
    }
    m.append("--b--\r\n");
    ParseOutcome.Rejected r =
        rejected(
            parser.parse(m.toString().getBytes(StandardCharsets.US_ASCII)), RejectCode.SIZE_LIMIT);
    assertThat(r.detail()).contains("maxMimeParts");
  }

  @Test
  void rejectsAReportWithAMillionPoliciesAtThePolicyLimit() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      gz.write("{\"policies\":[".getBytes(StandardCharsets.US_ASCII));
      byte[] p =
          ("{\"policy\":{\"policy-type\":\"no-policy-found\"},\"summary\":"
                  + "{\"total-successful-session-count\":1,\"total-failure-session-count\":0}},")
              .getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 1_000_000; i++) {
        gz.write(p);
      }
      gz.write("{}]}".getBytes(StandardCharsets.US_ASCII));
    }
    rejected(parser.parse(out.toByteArray()), RejectCode.SIZE_LIMIT);
  }

  @Test
  void rejectsMillionsOfEmptyPartsBeforeListingThem() {
    StringBuilder m = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
    m.append("--b\n".repeat(7_000_000));
    rejected(parser.parse(m.toString().getBytes(StandardCharsets.US_ASCII)), RejectCode.SIZE_LIMIT);
  }

  @Test
  void readsAHeaderWithMillionsOfParametersInBoundedMemory() {
    String params = ";a=1".repeat(5_000_000);
    byte[] mail =
        ("Content-Type: multipart/mixed" + params + "; boundary=b\r\n\r\n--b--\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    rejected(parser.parse(mail), RejectCode.SIZE_LIMIT);
  }

  @Test
  void rejectsAHugePolicyStringArrayAtThePolicyStringLimit() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      gz.write(
          ("{\"organization-name\":\"x\",\"report-id\":\"1\",\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\","
                  + "\"policy-domain\":\"a\",\"policy-string\":[")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] entry = "\"a\",".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 10_000_000; i++) {
        gz.write(entry);
      }
      gz.write("\"a\"]}}]}".getBytes(StandardCharsets.US_ASCII));
    }
    ParseOutcome.Rejected r = rejected(parser.parse(out.toByteArray()), RejectCode.SIZE_LIMIT);
    assertThat(r.detail()).contains("maxPolicyStrings");
  }

  @Test
  void drainsZipDirectoryEntriesWithinTheBudget() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      zip.putNextEntry(new ZipEntry("d/"));
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i < 512; i++) {
        zip.write(chunk);
      }
      zip.closeEntry();
    }
    rejected(parser.parse(out.toByteArray()), RejectCode.SIZE_LIMIT);
  }

  @Test
  void sharesOneDecompressionBudgetAcrossTheParts() throws IOException {
    // a valid report followed by 20 MiB of white space: each part alone is under the limit
    ByteArrayOutputStream padded = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(padded, 1 << 16)) {
      gz.write(Reports.with(j -> {}));
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) ' ');
      for (int i = 0; i < 20; i++) {
        gz.write(chunk);
      }
    }
    byte[] part = padded.toByteArray();
    assertThat(Reports.accepted(parser.parse(part))).isNotNull();
    String b64 = Inputs.base64Lines(part);
    StringBuilder m = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
    for (int i = 0; i < 5; i++) {
      m.append(
              "--b\r\nContent-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n")
          .append(b64)
          .append("\r\n");
    }
    m.append("--b--\r\n");
    ParseOutcome.Rejected r =
        rejected(
            parser.parse(m.toString().getBytes(StandardCharsets.US_ASCII)), RejectCode.SIZE_LIMIT);
    assertThat(r.detail()).contains("for this input");
  }
}

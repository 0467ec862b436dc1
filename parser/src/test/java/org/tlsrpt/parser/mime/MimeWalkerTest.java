package org.tlsrpt.parser.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MimeWalkerTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(byte[] b, int[] range) {
    return new String(b, range[0], range[1] - range[0], StandardCharsets.US_ASCII);
  }

  @Test
  void splitsPartsAndGivesTheLineBreakBeforeADelimiterToTheDelimiter() {
    byte[] b =
        ascii("preamble\r\n--b\r\nA: 1\r\n\r\none\r\n--b  \r\n\r\ntwo\r\n\r\n--b--\r\nepilogue");
    List<int[]> parts = MimeWalker.splitParts(b, 0, b.length, "b");
    assertThat(parts).hasSize(2);
    assertThat(text(b, parts.get(0))).isEqualTo("A: 1\r\n\r\none");
    assertThat(text(b, parts.get(1))).isEqualTo("\r\ntwo\r\n");
  }

  @Test
  void splitsPartsWithBareLineFeeds() {
    byte[] b = ascii("--b\nA: 1\n\none\n--b\n\ntwo\n--b--\n");
    List<int[]> parts = MimeWalker.splitParts(b, 0, b.length, "b");
    assertThat(parts).extracting(p -> text(b, p)).containsExactly("A: 1\n\none", "\ntwo");
  }

  @Test
  void doesNotMistakeALongerBoundaryForTheDelimiter() {
    byte[] b = ascii("--b\r\n\r\n--bb\r\nstill one\r\n--b--\r\n");
    assertThat(MimeWalker.splitParts(b, 0, b.length, "b"))
        .extracting(p -> text(b, p))
        .containsExactly("\r\n--bb\r\nstill one");
  }

  @Test
  void endsTheLastPartAtTheEndWhenTheCloseDelimiterIsMissing() {
    byte[] b = ascii("--b\r\n\r\ntruncated");
    assertThat(MimeWalker.splitParts(b, 0, b.length, "b"))
        .extracting(p -> text(b, p))
        .containsExactly("\r\ntruncated");
  }

  @Test
  void decodesLenientBase64AndQuotedPrintable() {
    byte[] b64 = ascii("eyJh\r\nIjox fQ");
    Slice s = TransferDecoding.base64(b64, 0, b64.length);
    assertThat(new String(s.bytes(), 0, s.length(), StandardCharsets.US_ASCII))
        .isEqualTo("{\"a\":1}");
    byte[] qp = ascii("{\"a\"=3D=\r\n1, \"b\": =E9, bad: =ZZ}=");
    Slice q = TransferDecoding.quotedPrintable(qp, 0, qp.length);
    assertThat(new String(q.bytes(), 0, q.length(), StandardCharsets.ISO_8859_1))
        .isEqualTo("{\"a\"=1, \"b\": \u00e9, bad: =ZZ}");
  }

  @Test
  void findsByteFromEveryAlignment() {
    byte[] b = ascii("0123456789abcdefghij\nxyz");
    for (int from = 0; from <= 20; from++) {
      assertThat(Bytes.indexOf(b, from, b.length, (byte) '\n')).isEqualTo(20);
    }
    assertThat(Bytes.indexOf(b, 21, b.length, (byte) '\n')).isEqualTo(b.length);
    assertThat(Bytes.indexOf(b, 0, 20, (byte) '\n')).isEqualTo(20);
    byte[] high = {(byte) 0x80, (byte) 0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, '\n'};
    assertThat(Bytes.indexOf(high, 0, high.length, (byte) '\n')).isEqualTo(11);
    assertThat(Bytes.indexOf(high, 0, high.length, (byte) 0xff)).isEqualTo(1);
  }
}

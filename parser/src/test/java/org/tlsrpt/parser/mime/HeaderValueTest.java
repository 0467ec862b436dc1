package org.tlsrpt.parser.mime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderValueTest {

  @Test
  void readsQuotedAndUnquotedParametersInAnyOrder() {
    HeaderValue a = HeaderValue.parse("multipart/report; report-type=\"tlsrpt\"; boundary=\"b 1\"");
    HeaderValue b = HeaderValue.parse("Multipart/Report; boundary=\"b 1\"; REPORT-TYPE=tlsrpt");
    assertThat(a.value()).isEqualTo("multipart/report");
    assertThat(b.value()).isEqualTo("multipart/report");
    assertThat(a.params()).isEqualTo(b.params());
    assertThat(a.param("boundary")).isEqualTo("b 1");
  }

  @Test
  void keepsAnUnquotedBoundaryWithEqualsSigns() {
    assertThat(HeaderValue.parse("multipart/mixed; boundary=----=_Part_1_2.3").param("boundary"))
        .isEqualTo("----=_Part_1_2.3");
  }

  @Test
  void unescapesQuotedPairs() {
    assertThat(HeaderValue.parse("attachment; filename=\"a\\\"b.json\"").param("filename"))
        .isEqualTo("a\"b.json");
  }

  @Test
  void joinsRfc2231ContinuationsAndDecodesCharsets() {
    HeaderValue v =
        HeaderValue.parse(
            "attachment; filename*0*=UTF-8''google.com%21example.com; filename*1=\"!1!2!001.json.gz\"");
    assertThat(v.param("filename")).isEqualTo("google.com!example.com!1!2!001.json.gz");
    assertThat(
            HeaderValue.parse("attachment; filename*=iso-8859-1'en'r%E9port.json")
                .param("filename"))
        .isEqualTo("r\u00e9port.json");
  }

  @Test
  void ignoresAComment() {
    assertThat(HeaderValue.parse("application/tlsrpt+gzip (compressed)").value())
        .isEqualTo("application/tlsrpt+gzip");
  }

  @Test
  void readsNothingAsEmpty() {
    assertThat(HeaderValue.parse(null).value()).isEmpty();
    assertThat(HeaderValue.parse("text/plain;").params()).isEmpty();
  }

  @Test
  void decodesEncodedWordsInBothEncodings() {
    assertThat(EncodedWords.decode("=?UTF-8?B?cmFwcG9ydC5qc29u?=")).isEqualTo("rapport.json");
    assertThat(EncodedWords.decode("=?iso-8859-1?Q?r=E9port_TLS?= =?UTF-8?Q?_ok?="))
        .isEqualTo("r\u00e9port TLS ok");
    assertThat(EncodedWords.decode("Report =?bogus?X?abc?= plain"))
        .isEqualTo("Report =?bogus?X?abc?= plain");
    assertThat(EncodedWords.decode("no words")).isEqualTo("no words");
  }
}

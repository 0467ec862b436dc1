package org.tlsrpt.parser.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 5952 canonical text, without DNS. */
class IpAddressesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "192.0.2.1, 192.0.2.1",
    "255.255.255.255, 255.255.255.255",
    "0.0.0.0, 0.0.0.0",
    "2001:db8:abcd:0012::1, 2001:db8:abcd:12::1",
    "2001:DB8::1, 2001:db8::1",
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "0:0:0:0:0:0:0:0, ::",
    "::1, ::1",
    "1::, 1::",
    "::ffff:192.0.2.128, ::ffff:192.0.2.128",
    "0:0:0:0:0:ffff:c000:280, ::ffff:192.0.2.128",
    "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
    "fe80::1:2:3:4, fe80::1:2:3:4",
  })
  void writesTheCanonicalForm(String in, String expected) {
    assertThat(IpAddresses.canonical(in)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "mail.example.com",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "1.2.3.-4",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        ":1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:",
        "12345::1",
        "::g",
        "1.2.3.4:80",
        "fe80::1%eth0"
      })
  void refusesWhatIsNotAnAddressLiteral(String in) {
    assertThat(IpAddresses.canonical(in)).isNull();
  }
}

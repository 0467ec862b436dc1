package org.tlsrpt.posture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The RFC 8461 §3.2 policy syntax and the §4.1 mx pattern matching, without a network. */
class PolicyTextCheckTest {

  private static StsPolicy.Outcome parse(String text) {
    return StsPolicy.parse(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void readsAPolicyWithCrlfOrLfLineEnds() {
    for (String eol : new String[] {"\r\n", "\n"}) {
      var outcome =
          parse(
              "version: STSv1"
                  + eol
                  + "mode: enforce"
                  + eol
                  + "mx: mail.example.com"
                  + eol
                  + "mx: *.example.net"
                  + eol
                  + "max_age: 604800"
                  + eol);
      assertThat(outcome).isInstanceOf(StsPolicy.Outcome.Parsed.class);
      StsPolicy p = ((StsPolicy.Outcome.Parsed) outcome).policy();
      assertThat(p.mode()).isEqualTo("enforce");
      assertThat(p.maxAge()).isEqualTo(604800);
      assertThat(p.mx()).containsExactly("mail.example.com", "*.example.net");
      assertThat(((StsPolicy.Outcome.Parsed) outcome).warnings()).isEmpty();
    }
  }

  @Test
  void acceptsTheLargestMaxAgeAndRefusesOneMore() {
    assertThat(parse("version: STSv1\nmode: none\nmax_age: 31557600\n"))
        .isInstanceOf(StsPolicy.Outcome.Parsed.class);
    var invalid =
        (StsPolicy.Outcome.Invalid) parse("version: STSv1\nmode: none\nmax_age: 31557601\n");
    assertThat(invalid.problems())
        .containsExactly("max_age '31557601' is not a number of seconds from 0 to 31557600");
  }

  @Test
  void requiresAnMxLineUnlessTheModeIsNone() {
    var invalid =
        (StsPolicy.Outcome.Invalid) parse("version: STSv1\nmode: testing\nmax_age: 86400\n");
    assertThat(invalid.problems())
        .containsExactly("no mx field: a policy in mode testing needs at least one");
  }

  @Test
  void namesEveryMissingField() {
    var invalid = (StsPolicy.Outcome.Invalid) parse("mx: mail.example.com\n");
    assertThat(invalid.problems())
        .containsExactly(
            "no version field (version: STSv1)",
            "no mode field (mode: enforce, testing or none)",
            "no max_age field");
  }

  @Test
  void refusesLinesThatAreNotFieldsAndBadMxPatterns() {
    var invalid =
        (StsPolicy.Outcome.Invalid)
            parse(
                "version: STSv1\nmode: enforce\nthis is html\nmx: mail.*.example.com\nmax_age: 1\n");
    assertThat(invalid.problems())
        .containsExactly(
            "line 3 'this is html' is not 'key: value'",
            "line 4: mx 'mail.*.example.com' is not a host name or *.domain",
            "no mx field: a policy in mode enforce needs at least one");
  }

  @Test
  void warnsAboutUnknownAndRepeatedFields() {
    var parsed =
        (StsPolicy.Outcome.Parsed)
            parse(
                "version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmax_age: 9\nfoo: bar\n");
    assertThat(parsed.policy().mode()).isEqualTo("enforce");
    assertThat(parsed.warnings())
        .containsExactly(
            "mode appears more than once; senders may use either",
            "unknown field 'foo' (ignored by senders)");
  }

  @Test
  void aWildcardMatchesExactlyOneLeftMostLabel() {
    assertThat(StsPolicy.matches("*.example.com", "mx1.example.com")).isTrue();
    assertThat(StsPolicy.matches("*.example.com", "MX1.Example.COM.")).isTrue();
    assertThat(StsPolicy.matches("*.example.com", "a.b.example.com")).isFalse();
    assertThat(StsPolicy.matches("*.example.com", "example.com")).isFalse();
    assertThat(StsPolicy.matches("mail.example.com", "mail.example.com")).isTrue();
    assertThat(StsPolicy.matches("mail.example.com", "mx.mail.example.com")).isFalse();
  }

  @Test
  void reportedPolicyLinesCompareIgnoringOrderCaseAndSpacing() {
    assertThat(CrossChecks.normalized(java.util.List.of("mx: *.A.example", "mode:enforce", "")))
        .containsExactly("mode: enforce", "mx: *.a.example");
  }
}

package org.tlsrpt.ingest.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrpt.ingest.DkimVerdict;
import org.tlsrpt.ingest.DkimVerdict.Status;

/**
 * Signatures that fail before any key is looked up. The resolver is a loopback port where nothing
 * listens: a lookup would make the verdict TEMPERROR, so FAIL shows that none was made.
 */
class DkimUnverifiableMessageTest {
  private static final Set<String> REPORTING = Set.of("mail.sender.example.com");
  private static final String SIGNATURE =
      "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender.example.com; s=rpt;\r\n"
          + "\th=From:Subject:TLS-Report-Submitter; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;"
          + "\r\n\tb=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==";

  private final JdkimCheck check =
      new JdkimCheck(new DkimSettings("127.0.0.1:9", Duration.ofSeconds(1), 3));

  private static byte[] withHeaders(String... headers) {
    return (String.join("\r\n", headers)
            + "\r\n"
            + new String(ReportMails.rfcExample(), StandardCharsets.ISO_8859_1))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void refusesABodyLengthLimitWithoutLookingUpTheKey() {
    DkimVerdict v =
        check.verify(withHeaders(SIGNATURE.replace("s=rpt;", "s=rpt; l=100;")), REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.signingDomain()).isEqualTo("sender.example.com");
    assertThat(v.detail())
        .isEqualTo(
            "d=sender.example.com s=rpt: l= (a body length limit) is not allowed in a report's"
                + " signature (RFC 8460 §3)");
  }

  @Test
  void refusesMoreSignaturesThanTheLimit() {
    DkimVerdict v =
        check.verify(withHeaders(SIGNATURE, SIGNATURE, SIGNATURE, SIGNATURE), REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.detail())
        .isEqualTo("the message has 4 DKIM-Signature fields, more than the 3 checked");
  }

  @Test
  void failsASignatureThatIsNotATagList() {
    DkimVerdict v = check.verify(withHeaders("DKIM-Signature: signed, trust me"), REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.signingDomain()).isNull();
    assertThat(v.detail()).startsWith("malformed DKIM-Signature: ");
  }

  @Test
  void failsASignatureWithoutTheFromFieldSigned() {
    DkimVerdict v = check.verify(withHeaders(SIGNATURE.replace("h=From:", "h=")), REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.detail())
        .startsWith("d=sender.example.com s=rpt: invalid DKIM-Signature: ")
        .containsIgnoringCase("from");
  }

  @Test
  void failsAMessageWhoseHeaderCannotBeRead() {
    DkimVerdict v =
        check.verify(withHeaders(SIGNATURE, "X-Long: " + "x".repeat(20_000)), REPORTING);

    assertThat(v.status()).isEqualTo(Status.FAIL);
    assertThat(v.detail())
        .isEqualTo(
            "the message cannot be read for DKIM: Maximum line length limit (10000) exceeded");
  }
}

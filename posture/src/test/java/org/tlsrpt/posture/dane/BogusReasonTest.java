package org.tlsrpt.posture.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Type;

class BogusReasonTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  private static RRSIGRecord sig(Instant from, Instant until) throws Exception {
    Name zone = Name.fromString("example.test.");
    return new RRSIGRecord(
        zone, DClass.IN, 300, Type.MX, 13, 300, until, from, 12345, zone, new byte[64]);
  }

  @Test
  void anExpiredSignatureComesFirstWhateverStepTheValidatorNamed() throws Exception {
    BogusReason r =
        BogusReason.classify(
            "Could not establish a chain of trust to keys for [example.test.]. Reason: Keyset not"
                + " secured by DNSKEY that matches DS",
            List.of(sig(NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(10)))),
            NOW);

    assertThat(r.kind()).isEqualTo("expired_signature");
    assertThat(r.explanation())
        .isEqualTo(
            "expired signature: the RRSIG over example.test MX by example.test expired"
                + " 2026-05-22T00:00:00Z");
  }

  @Test
  void aSignatureFromTheFutureIsNotYetValid() throws Exception {
    BogusReason r =
        BogusReason.classify(
            "Key is not yet valid",
            List.of(sig(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)))),
            NOW);

    assertThat(r.kind()).isEqualTo("signature_not_yet_valid");
  }

  @Test
  void readsTheValidatorsReasonWhenTheSignaturesAreInDate() throws Exception {
    List<RRSIGRecord> fine =
        List.of(sig(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10))));

    assertThat(
            BogusReason.classify(
                    "Could not establish validation of INSECURE status of unsigned response."
                        + " Reason: No signed NSEC/NSEC3 records for query to x.example.test./DS.",
                    fine,
                    NOW)
                .kind())
        .isEqualTo("bad_denial");
    assertThat(
            BogusReason.classify(
                    "Could not establish a chain of trust to keys for [example.test.]. Reason: No"
                        + " keys for example.test. have a DS for alg ECDSAP256SHA256",
                    fine,
                    NOW)
                .kind())
        .isEqualTo("ds_mismatch");
    assertThat(
            BogusReason.classify(
                    "Could not validate RRset example.test./MX due to missing signature.",
                    fine,
                    NOW)
                .kind())
        .isEqualTo("missing_signature");
    assertThat(BogusReason.classify("something new", fine, NOW).kind()).isEqualTo("other");
  }
}

package org.tlsrpt.posture.dane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TlsaRecordTest {
  private static TlsaRecord record(int usage, int selector, int type, int bytes) {
    return new TlsaRecord(usage, selector, type, new byte[bytes]);
  }

  @Test
  void acceptsDaneEeAndDaneTaWithDigestsOfTheRightLength() {
    assertThat(record(3, 1, 1, 32).unusable()).isNull();
    assertThat(record(2, 0, 2, 64).unusable()).isNull();
    assertThat(record(3, 0, 0, 300).unusable()).isNull();
    assertThat(record(3, 1, 1, 32).describe()).isEqualTo("DANE-EE(3) SPKI SHA-256");
    assertThat(record(2, 0, 2, 64).describe()).isEqualTo("DANE-TA(2) full certificate SHA-512");
  }

  @Test
  void flagsThePkixUsagesThatSmtpSendersIgnore() {
    assertThat(record(0, 0, 1, 32).unusable())
        .isEqualTo(
            "usage PKIX-TA(0) is ignored by SMTP senders (RFC 7672 §3.1.3): publish DANE-EE(3) or"
                + " DANE-TA(2)");
    assertThat(record(1, 1, 1, 32).unusable()).startsWith("usage PKIX-EE(1) is ignored");
  }

  @Test
  void flagsUnknownParametersAndDigestsThatCanNeverMatch() {
    assertThat(record(4, 1, 1, 32).unusable()).isEqualTo("unknown certificate usage 4");
    assertThat(record(3, 2, 1, 32).unusable()).isEqualTo("unknown selector 2");
    assertThat(record(3, 1, 3, 32).unusable()).isEqualTo("unknown matching type 3");
    assertThat(record(3, 1, 1, 20).unusable())
        .isEqualTo("a SHA-256 digest of 20 bytes instead of 32 can never match");
    assertThat(record(3, 1, 2, 32).unusable())
        .isEqualTo("a SHA-512 digest of 32 bytes instead of 64 can never match");
  }

  @Test
  void printsThePresentationFormAndAShortOne() {
    TlsaRecord r = new TlsaRecord(3, 1, 1, new byte[] {(byte) 0xab, 0x01});
    assertThat(r.text()).isEqualTo("3 1 1 ab01");
    assertThat(record(3, 1, 1, 32).shortText()).isEqualTo("3 1 1 0000000000000000…");
  }
}

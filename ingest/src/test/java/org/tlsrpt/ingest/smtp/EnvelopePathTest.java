package org.tlsrpt.ingest.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The argument of MAIL FROM and RCPT TO (RFC 5321 §4.1.2). */
class EnvelopePathTest {
  @Test
  void readsThePathAndTheParameters() {
    EnvelopePath p = EnvelopePath.parse(" FROM:<a@b.test> SIZE=12 body=8BITMIME SMTPUTF8", "FROM:");
    assertThat(p.address()).isEqualTo("a@b.test");
    assertThat(p.params()).isEqualTo(Map.of("SIZE", "12", "BODY", "8BITMIME", "SMTPUTF8", ""));
    assertThat(p.isMailbox()).isTrue();
  }

  @Test
  void takesTheNullPathASpaceAfterTheColonAndABareAddress() {
    assertThat(EnvelopePath.parse(" FROM:<>", "FROM:").address()).isEmpty();
    assertThat(EnvelopePath.parse(" from: <a@b.test>", "FROM:").address()).isEqualTo("a@b.test");
    assertThat(EnvelopePath.parse(" TO:a@b.test", "TO:").address()).isEqualTo("a@b.test");
  }

  @Test
  void dropsASourceRouteAndKnowsPostmaster() {
    EnvelopePath p = EnvelopePath.parse(" TO:<@relay.test,@hop.test:a@b.test>", "TO:");
    assertThat(p.address()).isEqualTo("a@b.test");
    assertThat(EnvelopePath.parse(" TO:<Postmaster>", "TO:").isMailbox()).isTrue();
    assertThat(EnvelopePath.parse(" TO:<nobody>", "TO:").isMailbox()).isFalse();
  }

  @Test
  void refusesWhatIsNotAPath() {
    assertThat(EnvelopePath.parse(" TO:<a@b.test>", "FROM:")).isNull();
    assertThat(EnvelopePath.parse(" FROM:<a@b.test", "FROM:")).isNull();
    assertThat(EnvelopePath.parse(" FROM:<a b@c.test>", "FROM:")).isNull();
    assertThat(EnvelopePath.parse(" FROM:<a@b.test>SIZE=1", "FROM:")).isNull();
    assertThat(EnvelopePath.parse(" FROM:<a@b.test> SIZE=1 SIZE=2", "FROM:")).isNull();
    assertThat(EnvelopePath.parse(" FROM:", "FROM:")).isNull();
    assertThat(EnvelopePath.parse(" FROM:<" + "x".repeat(250) + "@b.test>", "FROM:")).isNull();
  }
}

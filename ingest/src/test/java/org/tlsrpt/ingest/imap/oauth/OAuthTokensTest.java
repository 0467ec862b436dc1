package org.tlsrpt.ingest.imap.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OAuthTokensTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private final List<AccessToken> fetched = new ArrayList<>();

  private OAuthTokens movable(Duration lifetime, Duration margin) {
    return movable(lifetime, margin, () -> false);
  }

  private OAuthTokens movable(
      Duration lifetime, Duration margin, java.util.function.BooleanSupplier down) {
    return new OAuthTokens(
        () -> {
          if (down.getAsBoolean()) {
            throw new OAuthException("the OAuth2 token endpoint http://x cannot be reached");
          }
          AccessToken t = new AccessToken("t" + fetched.size(), clock.instant().plus(lifetime));
          fetched.add(t);
          return t;
        },
        "test tokens",
        margin,
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return clock.instant();
          }
        });
  }

  private void at(Duration sinceStart) {
    clock = Clock.fixed(T0.plus(sinceStart), ZoneOffset.UTC);
  }

  @Test
  void keepsATokenUntilTheMarginBeforeItsExpiryThenFetchesANewOne() {
    OAuthTokens t = movable(Duration.ofHours(1), Duration.ofMinutes(5));
    assertThat(t.cached()).isFalse();
    assertThat(t.token().value()).isEqualTo("t0");
    at(Duration.ofMinutes(54));
    assertThat(t.cached()).isTrue();
    assertThat(t.token().value()).isEqualTo("t0");
    at(Duration.ofMinutes(55));
    assertThat(t.cached()).as("due for renewal at expiry minus the margin").isFalse();
    assertThat(t.token().value()).isEqualTo("t1");
    assertThat(fetched).hasSize(2);
  }

  @Test
  void aRefusedTokenIsDroppedAndTheNextCallFetchesAgain() {
    OAuthTokens t = movable(Duration.ofHours(1), Duration.ofMinutes(5));
    t.token();
    t.invalidate();
    assertThat(t.cached()).isFalse();
    assertThat(t.token().value()).isEqualTo("t1");
  }

  @Test
  void aFailedRenewalKeepsUsingTheTokenUntilItExpires() {
    boolean[] down = {false};
    OAuthTokens t = movable(Duration.ofHours(1), Duration.ofMinutes(5), () -> down[0]);
    t.token();
    down[0] = true;
    at(Duration.ofMinutes(58));
    assertThat(t.token().value()).as("still valid for two minutes").isEqualTo("t0");
    at(Duration.ofMinutes(60));
    assertThatThrownBy(t::token).isInstanceOf(OAuthException.class);
    assertThat(t.cached()).isFalse();
  }

  @Test
  void aTokenShorterThanTheMarginIsFetchedEachTime() {
    OAuthTokens t = movable(Duration.ofMinutes(2), Duration.ofMinutes(5));
    t.token();
    t.token();
    assertThat(fetched).hasSize(2);
  }

  @Test
  void aFailedFetchLeavesNoTokenBehind() {
    OAuthTokens t =
        new OAuthTokens(
            () -> {
              throw new OAuthException("the OAuth2 token endpoint http://x cannot be reached");
            },
            "test tokens",
            Duration.ZERO,
            Clock.systemUTC());
    assertThatThrownBy(t::token)
        .isInstanceOf(OAuthException.class)
        .hasMessageContaining("http://x");
    assertThat(t.cached()).isFalse();
    assertThat(t.describe()).isEqualTo("test tokens");
  }

  @Test
  void neitherTheTokenNorAGrantsSecretIsInToString() {
    assertThat(new AccessToken("secret-token", T0).toString()).doesNotContain("secret-token");
    assertThat(new OAuthGrant.ClientSecret("id", "s3cr3t", "scope").toString())
        .contains("id")
        .doesNotContain("s3cr3t");
    assertThat(new OAuthGrant.RefreshToken("id", "s3cr3t", "r3fr3sh").toString())
        .doesNotContain("s3cr3t")
        .doesNotContain("r3fr3sh");
  }
}

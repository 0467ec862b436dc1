package org.tlsrpt.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromTheFirstWaitUpToTheCapAndStartsOverAfterASuccess() {
    Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(250));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(500));
    assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    b.reset();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void startsAtOneSecondOrAtTheCapWhenThatIsShorter() {
    assertThat(Backoff.upTo(Duration.ofMinutes(5)).next()).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.upTo(Duration.ofMillis(200)).next()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aPauseNoLongerWantedEndsEarly() {
    AtomicInteger asked = new AtomicInteger();
    long start = System.nanoTime();
    boolean waited = Backoff.pause(Duration.ofMinutes(1), () -> asked.incrementAndGet() < 3);
    assertThat(waited).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(Backoff.pause(Duration.ofMillis(1), () -> true)).isTrue();
  }
}

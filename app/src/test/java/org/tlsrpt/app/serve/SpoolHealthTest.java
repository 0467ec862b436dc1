package org.tlsrpt.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.tlsrpt.ingest.SourceHealth;

class SpoolHealthTest {
  private long backlog;
  private long failures;
  private final SpoolHealth health =
      new SpoolHealth(
          () -> backlog,
          () -> failures,
          Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

  @Test
  void failsOnceALoadFailedAndNothingWasLoadedSinceAndRecoversWhenTheBacklogShrinks() {
    backlog = 1000;
    assertThat(health.get().state()).isEqualTo(SourceHealth.State.OK);
    failures = 2;
    SourceHealth failing = health.get();
    assertThat(failing.state()).isEqualTo(SourceHealth.State.FAILING);
    assertThat(failing.lastError()).contains("2 failed attempts").contains("1000 bytes waiting");
    assertThat(failing.failingSince()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    backlog = 1500; // more arrives, nothing loads
    assertThat(health.get().state()).isEqualTo(SourceHealth.State.FAILING);
    backlog = 200; // loading again
    assertThat(health.get().state()).isEqualTo(SourceHealth.State.OK);
    assertThat(health.get().lastError()).as("kept for the operator").contains("failed attempts");
  }

  @Test
  void anEmptySpoolIsWorkingWhateverFailedBefore() {
    failures = 5;
    assertThat(health.get().state()).isEqualTo(SourceHealth.State.OK);
  }
}

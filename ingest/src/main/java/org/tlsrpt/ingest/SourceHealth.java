package org.tlsrpt.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * How a source that reaches out (an IMAP mailbox, the spool's loading) is doing, for {@code
 * /health}: working, not yet working, or failing since a given time, with its last error.
 *
 * @param lastError the last failure in one line (never a secret), or null when none yet; kept after
 *     recovery, so that an operator sees what last went wrong
 * @param lastErrorAt when it happened, or null
 * @param failingSince when the current run of failures began, or null unless {@link State#FAILING}
 */
public record SourceHealth(
    State state, String lastError, Instant lastErrorAt, Instant failingSince) {

  /** Where a source stands. */
  public enum State {
    /** Not yet through its first attempt. */
    STARTING,
    /** Its last attempt worked. */
    OK,
    /** Its attempts fail, since {@link #failingSince}. */
    FAILING;

    /** Lower case, as {@code /health} shows it. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A source that has not tried yet. */
  public static SourceHealth starting() {
    return new SourceHealth(State.STARTING, null, null, null);
  }

  /** This source, working again (its last error kept). */
  public SourceHealth ok() {
    return new SourceHealth(State.OK, lastError, lastErrorAt, null);
  }

  /** This source after a failure at {@code now}; a run of failures keeps its start. */
  public SourceHealth failed(String error, Instant now) {
    return new SourceHealth(State.FAILING, error, now, failingSince == null ? now : failingSince);
  }

  /** Whether it has been failing for {@code limit} or longer at {@code now}. */
  public boolean failingFor(Duration limit, Instant now) {
    return failingSince != null && Duration.between(failingSince, now).compareTo(limit) >= 0;
  }
}

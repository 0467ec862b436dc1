package org.tlsrpt.ingest;

import java.util.Objects;
import org.tlsrpt.storage.DkimResult;

/**
 * The DKIM verdict on one report e-mail.
 *
 * @param signingDomain the d= of the signature that passed (or of the first that failed), or null
 * @param detail why, for people
 */
public record DkimVerdict(Status status, String signingDomain, String detail) {
  public DkimVerdict {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** The outcome; stored as its {@link DkimResult}. */
  public enum Status {
    /** A valid signature whose d= is aligned with the reporting domain. */
    PASS,
    /** Signed, but no signature is valid and aligned (bad body hash, l=, wrong domain...). */
    FAIL,
    /** Not signed at all. */
    NONE,
    /** The key could not be fetched now (DNS down); worth trying again later. */
    TEMPERROR
  }

  /** What is stored in the report's {@code dkim} column. */
  public DkimResult result() {
    return switch (status) {
      case PASS -> DkimResult.PASS;
      case FAIL -> DkimResult.FAIL;
      case NONE -> DkimResult.NONE;
      case TEMPERROR -> DkimResult.TEMPERROR;
    };
  }
}

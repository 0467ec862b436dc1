package org.tlsrpt.ingest;

import java.util.Set;

/** Verifies the DKIM signatures of a report e-mail on its raw bytes as received. */
public interface DkimCheck {
  /**
   * @param rawMessage the message exactly as received
   * @param reportingDomains the domains a passing signature's d= must align with: the
   *     TLS-Report-Submitter and the domain of the report's contact-info (lower case); d= aligns
   *     when it equals one of them or is a parent domain of one of them
   */
  DkimVerdict verify(byte[] rawMessage, Set<String> reportingDomains);
}

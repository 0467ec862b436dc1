/**
 * The enforce readiness verdict (issue 15, docs/adr/0016-enforce-readiness-verdict.md): for every
 * MTA-STS policy domain, whether its policy can move from {@code mode: testing} to {@code mode:
 * enforce} without losing mail, weighed from the stored reports and the stored posture checks
 * ({@link org.tlsrpt.readiness.ReadinessJudge}, pure), and, for a domain already enforcing, the
 * mail it refuses. {@link org.tlsrpt.readiness.Readiness} reads the evidence from storage; {@link
 * org.tlsrpt.readiness.ReadinessJson} writes what the API and the command print.
 */
package org.tlsrpt.readiness;

/**
 * The scheduled posture watch of {@code tlsrpt serve} and {@code tlsrpt worker}: checks the domains
 * of {@code check.domains} every {@code check.interval_minutes}, stores each run and alerts on a
 * change through the alerting module.
 */
package org.tlsrpt.posture.watch;

package org.tlsrpt.posture.dane;

import java.util.List;
import org.tlsrpt.posture.Finding;
import org.tlsrpt.posture.dane.DnssecResolver.Validated;

/**
 * One MX host's DNSSEC verdict, its secure answers, and its TLSA records when DANE applies to it
 * (null otherwise).
 */
record HostOutcome(Finding finding, List<Validated> secure, List<TlsaRecord> tlsa) {}

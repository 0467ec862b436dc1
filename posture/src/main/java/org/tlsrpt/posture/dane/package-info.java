/**
 * DANE for SMTP (RFC 7672) in the posture check: DNSSEC validation of the MX records, the MX hosts'
 * addresses and their TLSA records with dnsjava's validating resolver ({@link
 * org.tlsrpt.posture.dane.DnssecResolver}), the TLSA records parsed and matched against the chain
 * each MX presents after STARTTLS ({@link org.tlsrpt.posture.dane.TlsaMatcher}), and the findings
 * {@code dane.*} ({@link org.tlsrpt.posture.dane.DaneCheck}). Settings: {@link
 * org.tlsrpt.posture.dane.DaneSettings}.
 */
package org.tlsrpt.posture.dane;

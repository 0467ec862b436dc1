/**
 * The posture check of {@code tlsrpt check DOMAIN}: {@link org.tlsrpt.posture.PostureChecker} reads
 * the domain's DNS records, fetches its MTA-STS policy, talks STARTTLS to every MX and checks the
 * certificates, then cross-checks them with each other and with the policies senders reported; each
 * result is a {@link org.tlsrpt.posture.Finding}. Settings: {@link
 * org.tlsrpt.posture.CheckSettings} ({@code check.*}).
 */
package org.tlsrpt.posture;

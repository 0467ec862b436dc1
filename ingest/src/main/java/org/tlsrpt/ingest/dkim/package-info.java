/**
 * DKIM verification of report e-mails (RFC 8460 §3, RFC 6376, RFC 8301): {@link
 * org.tlsrpt.ingest.dkim.JdkimCheck} checks the signatures with Apache jDKIM on the bytes as
 * received, fetching keys through the resolver of {@link org.tlsrpt.ingest.dkim.DkimSettings}, and
 * requires a valid signature whose d= is aligned with the reporting domain, without {@code l=}.
 */
package org.tlsrpt.ingest.dkim;

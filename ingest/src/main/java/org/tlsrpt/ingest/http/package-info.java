/**
 * The HTTPS receiver of reports POSTed to {@code /v1/tlsrpt} (RFC 8460 §3), with its rate limit.
 */
package org.tlsrpt.ingest.http;

/**
 * Report sources (SMTP listener, IMAP poller, HTTPS receiver) and the one path every input takes
 * through them: {@link org.tlsrpt.ingest.Intake} parses, checks DKIM, stores durably (in batches
 * shared by concurrent senders, {@link org.tlsrpt.ingest.BatchingStore}) and only then returns, so
 * a source acknowledges nothing that is not stored.
 */
package org.tlsrpt.ingest;

/**
 * The IMAP mailbox poller: {@link org.tlsrpt.ingest.imap.ImapPoller} reads report e-mails from a
 * folder exactly as stored, hands them to {@link org.tlsrpt.ingest.Intake}, and moves each one only
 * after it was stored, configured by {@link org.tlsrpt.ingest.imap.ImapSettings}.
 */
package org.tlsrpt.ingest.imap;

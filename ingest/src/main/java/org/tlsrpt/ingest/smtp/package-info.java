/** The SMTP listener that takes report mail for the configured recipients. */
package org.tlsrpt.ingest.smtp;

/**
 * The default durable store of {@code tlsrpt serve}: an fsynced append-only spool that answers
 * senders at once, and the loader that moves it into ClickHouse in large batches.
 */
package org.tlsrpt.ingest.spool;

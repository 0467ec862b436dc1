package org.tlsrpt.ingest.spool;

import org.tlsrpt.ingest.Envelope;

/**
 * An input read back (without its transport details, which are not spooled), the position just
 * after it, and its size in the spool.
 */
public record SpoolRead(Envelope envelope, SpoolPosition next, long bytes) {}

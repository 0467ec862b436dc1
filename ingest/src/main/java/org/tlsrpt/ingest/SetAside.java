package org.tlsrpt.ingest;

import org.tlsrpt.storage.Incoming;

/**
 * An input storage refused on its own.
 *
 * @param index where it was in the batch written
 * @param kept the input as rejected, as it was (or was to be) stored
 * @param stored false when even the rejected form could not be stored: the caller must keep the
 *     input elsewhere (the dead-letter topic, a file) and say so
 */
public record SetAside(int index, Incoming kept, String reason, boolean stored) {}

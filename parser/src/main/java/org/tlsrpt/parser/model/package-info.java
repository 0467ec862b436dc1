/**
 * The RFC 8460 report model: immutable records, {@link java.time.Instant} times, canonical IP
 * strings and lower-case domain names. No serialisation annotations: readers and writers own their
 * mappings.
 */
package org.tlsrpt.parser.model;

/**
 * The Kafka pipeline (docs/adr/0007): ingest nodes publish each input as received, workers store
 * them and commit only what is stored.
 */
package org.tlsrpt.ingest.kafka;

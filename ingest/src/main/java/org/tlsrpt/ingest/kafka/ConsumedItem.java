package org.tlsrpt.ingest.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.tlsrpt.storage.Incoming;

/** One consumed record and what it became; a dead-letter code when it goes there too. */
record ConsumedItem(
    ConsumerRecord<String, byte[]> record, Incoming incoming, String dlqCode, String dlqReason) {
  ConsumedItem withDeadLetter(Incoming replacement, String code, String reason) {
    return new ConsumedItem(record, replacement, code, reason);
  }
}

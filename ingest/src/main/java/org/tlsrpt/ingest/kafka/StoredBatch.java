package org.tlsrpt.ingest.kafka;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A batch the writer finished (stored and dead-lettered): its offsets are ready to commit. */
record StoredBatch(long epoch, Map<TopicPartition, OffsetAndMetadata> ends, int records) {}

package org.tlsrpt.ingest.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Records parsed on the poll thread and handed to the writer together, with the offsets to commit
 * once they are stored, and the rebalance epoch they were consumed in.
 */
record ConsumedBatch(
    long epoch, List<ConsumedItem> items, Map<TopicPartition, OffsetAndMetadata> ends) {}

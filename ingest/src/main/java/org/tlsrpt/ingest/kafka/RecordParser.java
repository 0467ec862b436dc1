package org.tlsrpt.ingest.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.RawInput;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.storage.Incoming;
import org.tlsrpt.storage.Source;

/**
 * Parses a consumed record again, as the spool loader does; what cannot be read or processed is
 * kept as rejected ({@code unprocessable}) and goes to the dead-letter topic.
 */
final class RecordParser {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWorker.class);

  private final ReportParser parser;
  private final WorkerFigures figures;

  RecordParser(ReportParser parser, WorkerFigures figures) {
    this.parser = parser;
    this.figures = figures;
  }

  /** Parses one record; never throws. */
  ConsumedItem parse(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return new ConsumedItem(r, null, RejectCode.UNPROCESSABLE.wire(), "the record has no value");
    }
    try {
      Envelope in = PipelineRecord.read(r);
      ParseOutcome o = in.parse(parser);
      Incoming incoming = in.incoming(o);
      if (o instanceof ParseOutcome.Rejected rej) {
        return new ConsumedItem(r, incoming, rej.code().wire(), rej.detail());
      }
      return new ConsumedItem(r, incoming, null, null);
    } catch (PipelineRecord.UnreadableRecordException e) {
      return unprocessable(r, "unreadable record: " + e.getMessage());
    } catch (RuntimeException e) { // a parser bug must not stop the partition
      LOG.error("could not process record {}-{}@{}", r.topic(), r.partition(), r.offset(), e);
      return unprocessable(r, "processing failed: " + e);
    }
  }

  private ConsumedItem unprocessable(ConsumerRecord<String, byte[]> r, String reason) {
    figures.unprocessable.increment();
    return new ConsumedItem(r, keptAsRejected(r, reason), RejectCode.UNPROCESSABLE.wire(), reason);
  }

  private static Incoming keptAsRejected(ConsumerRecord<String, byte[]> r, String reason) {
    return Incoming.of(
        new ParseOutcome.Rejected(RejectCode.UNPROCESSABLE, reason, new RawInput(r.value())),
        Source.KAFKA,
        java.time.Instant.ofEpochMilli(Math.max(0, r.timestamp())));
  }
}

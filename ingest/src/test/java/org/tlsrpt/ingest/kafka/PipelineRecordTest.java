package org.tlsrpt.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Source;

/** The envelope an ingest node publishes is the envelope a worker reads back. */
class PipelineRecordTest {
  private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> p) {
    return new ConsumerRecord<>(
        "raw",
        0,
        7,
        1_700_000_000_000L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        p.key(),
        p.value(),
        p.headers(),
        Optional.empty());
  }

  @Test
  void anEnvelopeTravelsWithItsVerdictsAndTransportAndKeepsItsWireStrings() throws Exception {
    Envelope sent =
        Envelope.mail(
                "From: a@b.example\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII),
                Source.IMAP,
                Map.of("mailbox", "reports/INBOX", "uid", "42"))
            .checked(DkimResult.FAIL, "DKIM fail: body hash did not verify");
    ProducerRecord<String, byte[]> p = PipelineRecord.of("raw", sent, null);
    assertThat(PipelineRecord.get(p.headers(), PipelineRecord.SOURCE)).isEqualTo("imap");
    assertThat(PipelineRecord.get(p.headers(), PipelineRecord.DKIM)).isEqualTo("fail");

    Envelope read = PipelineRecord.read(consumed(p));
    assertThat(read.raw()).isEqualTo(sent.raw());
    assertThat(read.source()).isEqualTo(Source.IMAP);
    assertThat(read.receivedAt()).isEqualTo(sent.receivedAt());
    assertThat(read.contentType()).isNull();
    assertThat(read.dkim()).isEqualTo(DkimResult.FAIL);
    assertThat(read.quarantineReason()).isEqualTo("DKIM fail: body hash did not verify");
    assertThat(read.transport()).isEqualTo(sent.transport());
  }

  @Test
  void aRecordOfAnotherProducerReadsAsKafkaNotCheckedAtItsTimestamp() throws Exception {
    ProducerRecord<String, byte[]> p =
        new ProducerRecord<>("raw", null, "k", "{}".getBytes(StandardCharsets.UTF_8));
    Envelope read = PipelineRecord.read(consumed(p));
    assertThat(read.source()).isEqualTo(Source.KAFKA);
    assertThat(read.dkim()).isEqualTo(DkimResult.NOT_CHECKED);
    assertThat(read.receivedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  @Test
  void aSourceOrDkimHeaderThisVersionDoesNotWriteIsNotGuessedAt() {
    RecordHeaders h = new RecordHeaders();
    h.add(PipelineRecord.SOURCE, "jmap".getBytes(StandardCharsets.UTF_8));
    ProducerRecord<String, byte[]> p =
        new ProducerRecord<>("raw", null, "k", "{}".getBytes(StandardCharsets.UTF_8), h);
    assertThatThrownBy(() -> PipelineRecord.read(consumed(p)))
        .isInstanceOf(PipelineRecord.UnreadableRecordException.class)
        .hasMessageContaining("source 'jmap' is not one of smtp, imap, https, file, demo, kafka");

    RecordHeaders d = new RecordHeaders();
    d.add(PipelineRecord.DKIM, "verified".getBytes(StandardCharsets.UTF_8));
    ProducerRecord<String, byte[]> q =
        new ProducerRecord<>("raw", null, "k", "{}".getBytes(StandardCharsets.UTF_8), d);
    assertThatThrownBy(() -> PipelineRecord.read(consumed(q)))
        .isInstanceOf(PipelineRecord.UnreadableRecordException.class)
        .hasMessageContaining("DKIM result 'verified' is not one of pass, fail");
  }
}

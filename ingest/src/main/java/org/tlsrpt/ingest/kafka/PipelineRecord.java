package org.tlsrpt.ingest.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Source;

/**
 * How an input travels through Kafka (ADR 0007): the value is the exact bytes received, the key is
 * their hex SHA-256 (so copies of one input land on one partition), and headers carry what the
 * ingest node knew: source, receive time, HTTPS content type, DKIM verdict, quarantine reason and
 * transport details. Records without tlsrpt headers (another producer) are read with defaults.
 */
public final class PipelineRecord {
  private PipelineRecord() {}

  /** The version of this layout; a record with another version is not guessed at. */
  public static final String FORMAT_VERSION = "1";

  public static final String FORMAT = "tlsrpt-format";
  public static final String SOURCE = "tlsrpt-source";
  public static final String RECEIVED_AT = "tlsrpt-received-at";
  public static final String CONTENT_TYPE = "tlsrpt-content-type";
  public static final String DKIM = "tlsrpt-dkim";
  public static final String QUARANTINE = "tlsrpt-quarantine";
  public static final String INGEST_NODE = "tlsrpt-ingest-node";

  /** Prefix of the transport details: {@code tlsrpt-transport-client}, {@code -helo}... */
  public static final String TRANSPORT = "tlsrpt-transport-";

  /** Dead-letter headers: why, and where the record came from. */
  public static final String REASON = "tlsrpt-reason";

  public static final String REASON_CODE = "tlsrpt-reason-code";
  public static final String ORIGIN = "tlsrpt-origin";

  private static final String NODE = nodeName();

  /** A record whose tlsrpt headers cannot be read: it is set aside, not guessed at. */
  public static final class UnreadableRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableRecordException(String message) {
      super(message);
    }
  }

  /**
   * The record an ingest node publishes for one input, with the intake's verdicts.
   *
   * @param sha256 hex SHA-256 of the raw bytes, or null to compute it
   */
  public static ProducerRecord<String, byte[]> of(String topic, Envelope e, String sha256) {
    Headers h = new RecordHeaders();
    put(h, FORMAT, FORMAT_VERSION);
    put(h, SOURCE, e.source().wire());
    put(h, RECEIVED_AT, e.receivedAt().toString());
    if (e.contentType() != null) {
      put(h, CONTENT_TYPE, e.contentType());
    }
    put(h, DKIM, e.dkim().wire());
    if (e.quarantineReason() != null) {
      put(h, QUARANTINE, e.quarantineReason());
    }
    put(h, INGEST_NODE, NODE);
    for (Map.Entry<String, String> t : e.transport().entrySet()) {
      put(h, TRANSPORT + t.getKey(), t.getValue());
    }
    String key = sha256 != null ? sha256 : new org.tlsrpt.parser.RawInput(e.raw()).sha256();
    return new ProducerRecord<>(topic, null, key, e.raw(), h);
  }

  /**
   * Reads a consumed record back into the envelope the ingest node published (its transport details
   * included); a record without tlsrpt headers reads as from {@link Source#KAFKA}, not
   * DKIM-checked, received at its timestamp.
   *
   * @throws UnreadableRecordException a tlsrpt header is present but cannot be read, or the record
   *     has no value
   */
  public static Envelope read(ConsumerRecord<String, byte[]> r) throws UnreadableRecordException {
    if (r.value() == null) {
      throw new UnreadableRecordException("the record has no value (a tombstone)");
    }
    Headers h = r.headers();
    String format = get(h, FORMAT);
    if (format != null && !FORMAT_VERSION.equals(format)) {
      throw new UnreadableRecordException(
          "header "
              + FORMAT
              + " is '"
              + format
              + "', this worker reads version "
              + FORMAT_VERSION
              + " (upgrade the workers before the ingest nodes)");
    }
    String received = get(h, RECEIVED_AT);
    Instant at;
    if (received == null) {
      at = Instant.ofEpochMilli(Math.max(0, r.timestamp()));
    } else {
      try {
        at = Instant.parse(received);
      } catch (DateTimeParseException e) {
        throw new UnreadableRecordException(
            "header " + RECEIVED_AT + " '" + received + "' is not an ISO-8601 instant");
      }
    }
    String source = get(h, SOURCE);
    Source from = Source.KAFKA;
    if (source != null && !source.isBlank()) {
      try {
        from = Source.fromWire(source);
      } catch (IllegalArgumentException e) {
        throw new UnreadableRecordException("header " + SOURCE + ": " + e.getMessage());
      }
    }
    String dkim = get(h, DKIM);
    DkimResult verdict = DkimResult.NOT_CHECKED;
    if (dkim != null && !dkim.isBlank()) {
      try {
        verdict = DkimResult.fromWire(dkim);
      } catch (IllegalArgumentException e) {
        throw new UnreadableRecordException("header " + DKIM + ": " + e.getMessage());
      }
    }
    Map<String, String> transport = new LinkedHashMap<>();
    for (Header x : h) {
      if (x.key().startsWith(TRANSPORT) && x.value() != null) {
        transport.put(
            x.key().substring(TRANSPORT.length()), new String(x.value(), StandardCharsets.UTF_8));
      }
    }
    return new Envelope(
        r.value(), from, at, get(h, CONTENT_TYPE), transport, verdict, get(h, QUARANTINE));
  }

  /** The dead-letter copy of a consumed record: its headers, plus why and where from. */
  public static ProducerRecord<String, byte[]> deadLetter(
      String topic, ConsumerRecord<String, byte[]> r, String code, String reason) {
    Headers h = new RecordHeaders();
    for (Header x : r.headers()) {
      if (!x.key().equals(REASON) && !x.key().equals(REASON_CODE) && !x.key().equals(ORIGIN)) {
        h.add(x);
      }
    }
    put(h, REASON_CODE, code);
    // a reason can quote a long storage error: the copy must still fit the topic's record limit
    put(
        h,
        REASON,
        reason.length() > MAX_REASON_CHARS
            ? reason.substring(0, MAX_REASON_CHARS) + "..."
            : reason);
    put(h, ORIGIN, r.topic() + "/" + r.partition() + "/" + r.offset());
    return new ProducerRecord<>(topic, null, r.key(), r.value(), h);
  }

  /** The dead-letter copy without the value, for an input too large to copy whole. */
  public static ProducerRecord<String, byte[]> deadLetterWithoutValue(
      String topic, ConsumerRecord<String, byte[]> r, String code, String reason) {
    ProducerRecord<String, byte[]> full = deadLetter(topic, r, code, reason);
    full.headers()
        .add(
            VALUE_OMITTED,
            "too large for the dead-letter topic; see tlsrpt-origin"
                .getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(topic, null, r.key(), null, full.headers());
  }

  /** Longest reason header, in characters. */
  static final int MAX_REASON_CHARS = 4000;

  /** Set on a dead-letter copy whose value was left out. */
  public static final String VALUE_OMITTED = "tlsrpt-value-omitted";

  /** The last value of a header as UTF-8, or null. */
  public static String get(Headers h, String key) {
    Header x = h.lastHeader(key);
    return x == null || x.value() == null ? null : new String(x.value(), StandardCharsets.UTF_8);
  }

  private static void put(Headers h, String key, String value) {
    h.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String nodeName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}

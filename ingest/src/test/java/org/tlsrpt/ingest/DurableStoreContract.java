package org.tlsrpt.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tlsrpt.ingest.DurableStore.Stored;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.Source;

/**
 * What every {@link DurableStore} promises the intake, which acknowledges a sender (SMTP 250, HTTP
 * 2xx, IMAP move) once {@code put} returns: the input is then held where the next stage finds it
 * again after a restart, a parser rejection is held too (nothing is lost), the same bytes are never
 * called new twice, and a back end that cannot hold the input makes {@code put} throw {@link
 * TryLaterException} instead of returning. Implemented once per store, against its real back end
 * (the embedded ClickHouse engine, the spool's files, a Kafka broker).
 */
public interface DurableStoreContract {
  ReportParser PARSER = new ReportParser();

  /** The store under test, its back end up. */
  DurableStore store();

  /**
   * The SHA-256 (hex) of every input the back end holds, read back as the next stage reads it (the
   * raw archive, a reopened spool, the topic from its start).
   */
  Set<String> held() throws Exception;

  /** A store of the same kind whose back end cannot hold anything now. */
  DurableStore unavailable() throws Exception;

  private static Envelope sample(String name) {
    return Envelope.mail(IngestTestAccess.bytes(IngestTestAccess.sample(name)), Source.SMTP);
  }

  private static Stored put(DurableStore store, Envelope e) throws TryLaterException {
    return store.put(e, e.parse(PARSER));
  }

  static String sha256(byte[] raw) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  default void anInputIsHeldOnceItsPutReturns() throws Exception {
    Envelope report = sample("isseis__tlsrpt_failure.eml");
    Stored stored = put(store(), report);
    assertThat(stored).isNotNull();
    assertThat(held()).contains(sha256(report.raw()));
  }

  @Test
  default void anInputTheParserRejectsIsHeldToo() throws Exception {
    Envelope junk =
        Envelope.mail(
            "Subject: not a report\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII),
            Source.SMTP);
    assertThat(junk.parse(PARSER)).isInstanceOf(ParseOutcome.Rejected.class);
    put(store(), junk);
    assertThat(held()).contains(sha256(junk.raw()));
  }

  @Test
  default void theSameBytesAreNeverCalledNewTwice() throws Exception {
    Envelope report = sample("isseis__tlsrpt_success_google_1.eml");
    put(store(), report);
    Stored again = put(store(), report);
    assertThat(again).isNotEqualTo(Stored.NEW);
  }

  @Test
  default void everyInputOfSeveralIsHeld() throws Exception {
    List<Envelope> inputs =
        List.of(
            sample("isseis__tlsrpt_success_microsoft.eml"),
            sample("parsedmarc__google.com_smtp_tls_report.eml"));
    for (Envelope e : inputs) {
      put(store(), e);
    }
    Set<String> expected =
        inputs.stream().map(e -> sha256(e.raw())).collect(Collectors.toUnmodifiableSet());
    assertThat(held()).containsAll(expected);
  }

  @Test
  default void aBackEndThatCannotHoldTheInputIsTryLaterNeverASilentReturn() throws Exception {
    DurableStore down = unavailable();
    Envelope report = sample("isseis__tlsrpt_failure.eml");
    assertThatThrownBy(() -> put(down, report)).isInstanceOf(TryLaterException.class);
  }
}

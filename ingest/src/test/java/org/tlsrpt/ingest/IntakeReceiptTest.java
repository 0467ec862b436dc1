package org.tlsrpt.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ReportParser;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Source;

/** The intake answers every input with a receipt, never with an exception. */
class IntakeReceiptTest {
  private static final byte[] MAIL =
      IngestTestAccess.bytes(IngestTestAccess.sample("isseis__tlsrpt_failure.eml"));

  /** Keeps what it is given, or says "try later" when told to. */
  private static final class Kept implements DurableStore {
    final List<Envelope> inputs = new ArrayList<>();
    boolean full;

    @Override
    public Stored put(Envelope input, ParseOutcome outcome) throws TryLaterException {
      if (full) {
        throw new TryLaterException("the spool is full", null);
      }
      inputs.add(input);
      return Stored.NEW;
    }
  }

  private static DkimCheck verdict(DkimVerdict.Status status) {
    return (raw, domains) -> new DkimVerdict(status, "d.example", "as the test says");
  }

  @Test
  void aValidReportIsStoredWithItsVerdict() {
    Kept kept = new Kept();
    Intake intake =
        new Intake(new ReportParser(), kept, verdict(DkimVerdict.Status.PASS), DkimMode.ENFORCE);
    Receipt r = intake.accept(Envelope.mail(MAIL, Source.SMTP));
    assertThat(r).isInstanceOf(Receipt.Stored.class);
    assertThat(((Receipt.Stored) r).dkim().status()).isEqualTo(DkimVerdict.Status.PASS);
    assertThat(kept.inputs.getFirst().dkim()).isEqualTo(DkimResult.PASS);
    assertThat(kept.inputs.getFirst().quarantineReason()).isNull();
    assertThat(intake.counts()).containsEntry("smtp/accepted", 1L);
  }

  @Test
  void aFailedSignatureUnderEnforceIsQuarantinedWithTheReason() {
    Kept kept = new Kept();
    Intake intake =
        new Intake(new ReportParser(), kept, verdict(DkimVerdict.Status.FAIL), DkimMode.ENFORCE);
    Receipt r = intake.accept(Envelope.mail(MAIL, Source.IMAP));
    assertThat(r).isInstanceOf(Receipt.Quarantined.class);
    assertThat(((Receipt.Quarantined) r).reason()).isEqualTo("DKIM fail: as the test says");
    assertThat(kept.inputs.getFirst().dkim()).isEqualTo(DkimResult.FAIL);
    assertThat(kept.inputs.getFirst().quarantineReason()).isEqualTo("DKIM fail: as the test says");
    assertThat(intake.counts()).containsEntry("imap/quarantined", 1L);
  }

  @Test
  void aBadReportIsKeptAsRejectedAndAnHttpsBodyIsUnauthenticated() {
    Kept kept = new Kept();
    Intake intake = new Intake(new ReportParser(), kept, null, DkimMode.OFF);
    Receipt r =
        intake.accept(
            Envelope.https(
                "{\"not\": \"a report\"}".getBytes(StandardCharsets.UTF_8),
                "application/tlsrpt+json"));
    assertThat(r).isInstanceOf(Receipt.Rejected.class);
    assertThat(((Receipt.Rejected) r).outcome().code().wire()).isEqualTo("missing_field");
    assertThat(kept.inputs.getFirst().dkim()).isEqualTo(DkimResult.UNAUTHENTICATED);
    assertThat(intake.counts()).containsEntry("https/rejected", 1L);
  }

  @Test
  void nothingStoredIsAnsweredTryLaterNotThrown() {
    Kept kept = new Kept();
    kept.full = true;
    Intake full = new Intake(new ReportParser(), kept, null, DkimMode.OFF);
    Receipt r = full.accept(Envelope.mail(MAIL, Source.SMTP));
    assertThat(r).isEqualTo(new Receipt.TryLater("the spool is full"));
    assertThat(r.stored()).isFalse();

    Intake noKey =
        new Intake(
            new ReportParser(),
            new Kept(),
            verdict(DkimVerdict.Status.TEMPERROR),
            DkimMode.ENFORCE);
    assertThat(noKey.accept(Envelope.mail(MAIL, Source.SMTP)))
        .isEqualTo(new Receipt.TryLater("the DKIM key could not be fetched now: as the test says"));
    assertThat(full.counts()).containsEntry("smtp/deferred", 1L);
    assertThat(noKey.counts()).containsEntry("smtp/deferred", 1L);
  }

  /** Tells the intake what the test says of each input's novelty. */
  private static final class Answering implements DurableStore {
    private final Stored answer;

    Answering(Stored answer) {
      this.answer = answer;
    }

    @Override
    public Stored put(Envelope input, ParseOutcome outcome) {
      return answer;
    }
  }

  @Test
  void aReportStoredBeforeIsADuplicateCountedApart() {
    Intake intake =
        new Intake(
            new ReportParser(), new Answering(DurableStore.Stored.DUPLICATE), null, DkimMode.OFF);
    Receipt r = intake.accept(Envelope.mail(MAIL, Source.SMTP));
    assertThat(r).isInstanceOf(Receipt.Duplicate.class);
    assertThat(r.stored()).isTrue();
    assertThat(r.outcomeLabel()).isEqualTo("duplicate");
    assertThat(intake.counts()).containsExactly(java.util.Map.entry("smtp/duplicate", 1L));
  }

  @Test
  void aSpooledReportIsCountedWhenTheLoaderWritesIt() {
    Intake intake =
        new Intake(
            new ReportParser(), new Answering(DurableStore.Stored.SPOOLED), null, DkimMode.OFF);
    assertThat(intake.accept(Envelope.mail(MAIL, Source.SMTP))).isInstanceOf(Receipt.Stored.class);
    assertThat(intake.accept(Envelope.mail(MAIL, Source.SMTP))).isInstanceOf(Receipt.Stored.class);
    // a rejected input is counted when received, spooled or not
    intake.accept(Envelope.mail("not a report".getBytes(StandardCharsets.UTF_8), Source.SMTP));
    assertThat(intake.counts()).containsExactly(java.util.Map.entry("smtp/rejected", 1L));
    intake.loaded(Source.SMTP, false);
    intake.loaded(Source.SMTP, true);
    assertThat(intake.counts())
        .containsEntry("smtp/accepted", 1L)
        .containsEntry("smtp/duplicate", 1L)
        .containsEntry("smtp/rejected", 1L);
  }
}

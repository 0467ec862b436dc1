package org.tlsrpt.ingest.dkim;

import java.util.ArrayList;
import java.util.List;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;

/**
 * jDKIM's verifier with {@link ReportSignatureRecord}s, remembering each signature in header order
 * (jDKIM reports its results in no particular order, and without the record when a signature was
 * refused). One instance verifies one message.
 */
final class ReportDkimVerifier extends DKIMVerifier {
  private final List<ReportSignatureRecord> records = new ArrayList<>();
  private final List<String> malformed = new ArrayList<>();

  ReportDkimVerifier(PublicKeyRecordRetriever keys) {
    super(keys);
  }

  @Override
  public SignatureRecord newSignatureRecord(String value) {
    ReportSignatureRecord r;
    try {
      r = new ReportSignatureRecord(value);
    } catch (IllegalStateException e) {
      malformed.add("malformed DKIM-Signature: " + e.getMessage());
      throw e;
    }
    records.add(r);
    r.validate();
    return r;
  }

  /** The signatures that could be parsed, in the order of their header fields. */
  List<ReportSignatureRecord> records() {
    return records;
  }

  /** Why the signatures that could not be parsed as tag lists were not. */
  List<String> malformed() {
    return malformed;
  }
}

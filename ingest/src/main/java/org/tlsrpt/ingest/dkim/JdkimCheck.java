package org.tlsrpt.ingest.dkim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.Result;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.impl.Message;
import org.apache.james.mime4j.MimeException;
import org.tlsrpt.ingest.DkimCheck;
import org.tlsrpt.ingest.DkimVerdict;
import org.tlsrpt.ingest.DkimVerdict.Status;

/**
 * Verifies a report e-mail's DKIM signatures with Apache jDKIM, on the bytes as received, with keys
 * from DNS ({@link DkimSettings}). RFC 8460 §3 and RFC 6376 decide the verdict:
 *
 * <ul>
 *   <li>PASS: one signature is valid and its d= is a reporting domain or a parent domain of one
 *       (other signatures do not matter);
 *   <li>TEMPERROR: none passes, and the key of an aligned signature could not be fetched now;
 *   <li>FAIL: none passes, and trying again would not help (body or header changed, key not found,
 *       d= not aligned, {@code l=} or {@code rsa-sha1} used, malformed signature);
 *   <li>NONE: the message has no DKIM-Signature header.
 * </ul>
 *
 * The detail names each signature's d= and s= and what is wrong with it, for a postmaster.
 * Thread-safe.
 */
public final class JdkimCheck implements DkimCheck {
  private static final String BODY_HASH_MISMATCH = "bodyhash is different";
  private static final String BAD_SIGNATURE = "Header signature does not verify";
  private static final String REFUSED_BY_US = "Invalid signature record";

  private final PublicKeyRecordRetriever keys;
  private final int maxSignatures;

  /**
   * @throws IllegalArgumentException the configured resolver's host name cannot be resolved
   */
  public JdkimCheck(DkimSettings settings) {
    this.keys = new DnsKeyLookup(settings);
    this.maxSignatures = settings.maxSignatures();
  }

  @Override
  public DkimVerdict verify(byte[] rawMessage, Set<String> reportingDomains) {
    Message message;
    try {
      message = new Message(new ByteArrayInputStream(rawMessage));
    } catch (MimeException | IOException e) {
      // reading a byte array fails only on what mime4j refuses, e.g. a header line over 10,000
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return new DkimVerdict(
          Status.FAIL, null, "the message cannot be read for DKIM: " + root.getMessage());
    }
    try {
      List<String> fields = message.getFields("DKIM-Signature");
      if (fields == null || fields.isEmpty()) {
        return new DkimVerdict(Status.NONE, null, "the message has no DKIM-Signature");
      }
      if (fields.size() > maxSignatures) {
        return new DkimVerdict(
            Status.FAIL,
            null,
            "the message has "
                + fields.size()
                + " DKIM-Signature fields, more than the "
                + maxSignatures
                + " checked");
      }
      ReportDkimVerifier verifier = new ReportDkimVerifier(keys);
      try {
        verifier.verify(message, message.getBodyInputStream());
      } catch (FailException e) {
        // no signature verified: the results say why, signature by signature
      }
      return verdict(checks(verifier), reportingDomains);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the body is in memory or a temporary file
    } finally {
      message.dispose();
    }
  }

  private enum Kind {
    VALID,
    INVALID,
    TEMPORARY
  }

  /** What became of one signature; domain and selector are null when unknown. */
  private record SignatureCheck(String domain, String selector, Kind kind, String detail) {
    String label() {
      return domain == null ? "" : "d=" + domain + " s=" + selector + ": ";
    }
  }

  private static List<SignatureCheck> checks(ReportDkimVerifier verifier) {
    Map<SignatureRecord, Result> results = new IdentityHashMap<>();
    Deque<String> unattributed = new ArrayDeque<>();
    for (Result r : verifier.getResults()) {
      if (r.getRecord() instanceof ReportSignatureRecord) {
        results.put(r.getRecord(), r);
      } else if (r.getErrorMessage() != null && !r.getErrorMessage().startsWith(REFUSED_BY_US)) {
        unattributed.add(r.getErrorMessage()); // failed in jDKIM without naming its signature
      }
    }
    List<SignatureCheck> checks = new ArrayList<>();
    for (ReportSignatureRecord record : verifier.records()) {
      String d = record.signingDomain();
      String s = record.selector();
      Result r = results.get(record);
      if (record.problem() != null) {
        checks.add(new SignatureCheck(d, s, Kind.INVALID, record.problem()));
      } else if (r == null) {
        String why = unattributed.isEmpty() ? "could not be verified" : unattributed.poll();
        checks.add(new SignatureCheck(d, s, Kind.INVALID, why));
      } else if (r.isSuccess()) {
        checks.add(new SignatureCheck(d, s, Kind.VALID, "valid"));
      } else if (r.getResultType() == Result.Type.TEMPERROR) {
        checks.add(new SignatureCheck(d, s, Kind.TEMPORARY, r.getErrorMessage()));
      } else {
        checks.add(new SignatureCheck(d, s, Kind.INVALID, explain(r.getErrorMessage())));
      }
    }
    for (String m : verifier.malformed()) {
      checks.add(new SignatureCheck(null, null, Kind.INVALID, m));
    }
    return checks;
  }

  /** jDKIM's words for the two common failures, in a postmaster's. */
  private static String explain(String jdkimMessage) {
    if (jdkimMessage == null) {
      return "failed";
    }
    if (jdkimMessage.contains(BODY_HASH_MISMATCH)) {
      return "body hash mismatch: the body was changed after signing";
    }
    if (jdkimMessage.startsWith(BAD_SIGNATURE)) {
      return "bad signature: the signed header fields were changed after signing, or the key in"
          + " DNS is not the signing key";
    }
    return jdkimMessage;
  }

  private static DkimVerdict verdict(List<SignatureCheck> checks, Set<String> reportingDomains) {
    for (SignatureCheck c : checks) {
      if (c.kind() == Kind.VALID && DomainAlignment.aligned(c.domain(), reportingDomains)) {
        return new DkimVerdict(
            Status.PASS, c.domain(), "valid signature by d=" + c.domain() + " s=" + c.selector());
      }
    }
    List<String> reasons = new ArrayList<>();
    String retryable = null;
    for (SignatureCheck c : checks) {
      boolean aligned = DomainAlignment.aligned(c.domain(), reportingDomains);
      if (c.kind() == Kind.VALID) {
        reasons.add(
            c.label()
                + "valid, but signed by d="
                + c.domain()
                + ", which "
                + notAligned(reportingDomains));
      } else if (aligned || c.domain() == null) {
        reasons.add(c.label() + c.detail());
      } else {
        reasons.add(
            c.label()
                + c.detail()
                + " (besides, d="
                + c.domain()
                + " "
                + notAligned(reportingDomains)
                + ")");
      }
      if (c.kind() == Kind.TEMPORARY && aligned && retryable == null) {
        retryable = c.domain();
      }
    }
    String detail =
        reasons.isEmpty() ? "no DKIM-Signature could be read" : String.join("; ", reasons);
    if (retryable != null) {
      return new DkimVerdict(Status.TEMPERROR, retryable, detail);
    }
    return new DkimVerdict(Status.FAIL, checks.isEmpty() ? null : checks.get(0).domain(), detail);
  }

  /** The end of "d=X ...", saying why X is not aligned. */
  private static String notAligned(Set<String> reportingDomains) {
    TreeSet<String> sorted = new TreeSet<>(reportingDomains);
    if (sorted.isEmpty()) {
      return "cannot be aligned: the report names no reporting domain";
    }
    if (sorted.size() == 1) {
      return "is not the reporting domain " + sorted.first() + " nor a parent domain of it";
    }
    return "is none of the reporting domains "
        + String.join(", ", sorted)
        + " nor a parent domain of one";
  }
}

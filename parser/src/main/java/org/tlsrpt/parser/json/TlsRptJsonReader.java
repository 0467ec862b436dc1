package org.tlsrpt.parser.json;

import static org.tlsrpt.parser.json.JsonProblems.describe;
import static org.tlsrpt.parser.json.JsonProblems.expectObject;
import static org.tlsrpt.parser.json.JsonProblems.invalid;
import static org.tlsrpt.parser.json.JsonProblems.missing;
import static org.tlsrpt.parser.json.JsonProblems.require;
import static org.tlsrpt.parser.json.JsonProblems.seen;
import static org.tlsrpt.parser.json.JsonProblems.translate;
import static org.tlsrpt.parser.json.JsonValues.POLICY_TYPES;
import static org.tlsrpt.parser.json.JsonValues.count;
import static org.tlsrpt.parser.json.JsonValues.dateRange;
import static org.tlsrpt.parser.json.JsonValues.idText;
import static org.tlsrpt.parser.json.JsonValues.knownOrText;
import static org.tlsrpt.parser.json.JsonValues.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.tlsrpt.parser.model.DateRange;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.PolicyType;
import org.tlsrpt.parser.model.StsPolicy;
import org.tlsrpt.parser.model.TlsReport;
import org.tlsrpt.parser.model.TlsaRecord;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.ParserLimits;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.parser.rules.Warning;

/**
 * Reads one RFC 8460 §4.4 report body into the model with Jackson's streaming parser, so that the
 * field checks, the normalisation and the limits happen in one pass without an intermediate tree.
 * Members in any order; unknown members skipped; duplicate members refused (I-JSON, RFC 7493).
 *
 * <p>Thread-safe: the factory is shared, each call has its own parser.
 */
public final class TlsRptJsonReader {
  private final JsonFactory factory;
  private final ParserLimits limits;
  private final FailureDetailReader details;

  public TlsRptJsonReader(ParserLimits limits) {
    this.limits = limits;
    this.details = new FailureDetailReader(limits);
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxJsonDepth())
                    .maxStringLength(limits.maxStringLength())
                    .maxNumberLength(limits.maxNumberLength())
                    .maxNameLength(Math.min(limits.maxStringLength(), 50_000))
                    .maxDocumentLength(limits.maxDecompressedBytes())
                    .build())
            .build();
  }

  /** Reads a report from {@code len} bytes of {@code buf} at {@code off}. */
  public TlsReport read(byte[] buf, int off, int len, List<Warning> warnings) {
    try (JsonParser p = factory.createParser(buf, off, len)) {
      return readDocument(p, warnings);
    } catch (IOException e) {
      if (!(e instanceof JsonProcessingException)) {
        // a byte array cannot fail to read: this is Jackson's charset detection giving up
        throw new InputRejectedException(
            RejectCode.INVALID_JSON, "report body is not UTF-8 JSON: " + e.getMessage());
      }
      throw translate(e);
    }
  }

  /**
   * Reads a report from a stream, typically a bounded decompressor that throws {@link
   * InputRejectedException} itself at its limit.
   */
  public TlsReport read(InputStream in, List<Warning> warnings) {
    try (JsonParser p = factory.createParser(in)) {
      return readDocument(p, warnings);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  private TlsReport readDocument(JsonParser p, List<Warning> warnings) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      throw invalid("the report must be a JSON object, found " + describe(t));
    }
    String org = null;
    String contact = null;
    String reportId = null;
    DateRange range = null;
    List<PolicyResult> policies = null;
    int[] budget = {limits.maxFailureDetails(), limits.maxPolicyStrings()};
    int members = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "organization-name" -> {
          members = seen(members, 1, p);
          org = text(p, Loc.ROOT, "organization-name");
        }
        case "contact-info" -> {
          members = seen(members, 2, p);
          contact = text(p, Loc.ROOT, "contact-info");
        }
        case "report-id" -> {
          members = seen(members, 4, p);
          reportId = idText(p, Loc.ROOT, "report-id", warnings);
        }
        case "date-range" -> {
          members = seen(members, 8, p);
          range = dateRange(p, warnings);
        }
        case "policies" -> {
          members = seen(members, 16, p);
          policies = policies(p, warnings, budget);
        }
        default -> p.skipChildren();
      }
    }
    if (p.nextToken() != null) {
      throw new InputRejectedException(
          RejectCode.INVALID_JSON,
          "unexpected content after the report object at "
              + p.currentLocation().offsetDescription());
    }
    require(org, "organization-name");
    require(reportId, "report-id");
    if (range == null) {
      throw missing("date-range");
    }
    if (policies == null) {
      throw missing("policies");
    }
    return new TlsReport(org, range, contact, reportId, policies);
  }

  /** budget[0]: failure details left for this report; budget[1]: policy strings left. */
  private List<PolicyResult> policies(JsonParser p, List<Warning> warnings, int[] budget)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw p.currentToken() == JsonToken.VALUE_NULL
          ? missing("policies")
          : invalid("policies must be an array (RFC 8460 §4), found " + describe(p.currentToken()));
    }
    List<PolicyResult> out = new ArrayList<>(2);
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (out.size() == limits.maxPolicies()) {
        throw new InputRejectedException(
            RejectCode.SIZE_LIMIT,
            "more than " + limits.maxPolicies() + " policies (limit maxPolicies)");
      }
      PolicyLocs locs = PolicyLocs.of(out.size());
      if (t != JsonToken.START_OBJECT) {
        throw invalid(locs.self + " must be an object, found " + describe(t));
      }
      out.add(policy(p, locs, warnings, budget));
    }
    return out;
  }

  private PolicyResult policy(JsonParser p, PolicyLocs path, List<Warning> warnings, int[] budget)
      throws IOException {
    PolicyFields policy = null;
    long[] summary = null;
    List<FailureDetail> failures = List.of();
    int members = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "policy" -> {
          members = seen(members, 1, p);
          policy = policyFields(p, path, warnings, budget);
        }
        case "summary" -> {
          members = seen(members, 2, p);
          summary = summary(p, path.summary);
        }
        case "failure-details" -> {
          members = seen(members, 4, p);
          failures = details.failureDetails(p, path, warnings, budget);
        }
        default -> p.skipChildren();
      }
    }
    if (policy == null) {
      throw missing(path.policy);
    }
    if (summary == null) {
      throw missing(path.summary);
    }
    Loc field = path.policyString;
    StsPolicy sts = null;
    List<TlsaRecord> tlsa = List.of();
    if (policy.type.is(PolicyType.Known.STS) && policy.strings != null) {
      sts = PolicyStrings.sts(policy.strings, field, warnings);
    } else if (policy.type.is(PolicyType.Known.TLSA) && policy.strings != null) {
      tlsa = PolicyStrings.tlsa(policy.strings, field, warnings);
    }
    return new PolicyResult(
        policy.type,
        policy.domain,
        policy.strings,
        policy.mxHosts,
        sts,
        tlsa,
        summary[0],
        summary[1],
        failures);
  }

  private record PolicyFields(
      PolicyType type, String domain, List<String> strings, List<String> mxHosts) {}

  private PolicyFields policyFields(
      JsonParser p, PolicyLocs locs, List<Warning> warnings, int[] budget) throws IOException {
    Loc path = locs.policy;
    expectObject(p, path);
    String type = null;
    String domain = null;
    List<String> strings = null;
    List<String> mx = null;
    int members = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "policy-type" -> {
          members = seen(members, 1, p);
          type = knownOrText(p, POLICY_TYPES, path, "policy-type");
        }
        case "policy-domain" -> {
          members = seen(members, 2, p);
          domain = text(p, path, "policy-domain");
        }
        case "policy-string" -> {
          members = seen(members, 4, p);
          strings = stringList(p, locs.policyString, warnings, budget);
        }
        case "mx-host" -> {
          members = seen(members, 8, p);
          mx = mxHosts(p, locs.mxHost, warnings, budget);
        }
        default -> p.skipChildren();
      }
    }
    require(type, path, "policy-type");
    PolicyType policyType = PolicyType.of(type);
    if (!policyType.isKnown()) {
      warnings.add(
          new Warning(
              "unknown_policy_type",
              path
                  + ".policy-type '"
                  + Rfc3339.abbreviate(type)
                  + "' is not sts, tlsa or no-policy-found; kept as sent"));
    } else if (domain == null && !policyType.is(PolicyType.Known.NO_POLICY_FOUND)) {
      throw missing(path.field("policy-domain"));
    }
    return new PolicyFields(
        policyType, domain == null ? null : Domains.normalise(domain), strings, mx);
  }

  private List<String> mxHosts(JsonParser p, Loc path, List<Warning> warnings, int[] budget)
      throws IOException {
    List<String> raw;
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      warnings.add(
          new Warning(
              "mx_host_string", path + " is a string, not an array (as in RFC 8460 Appendix B)"));
      raw = List.of(p.getText());
    } else {
      raw = stringList(p, path, warnings, budget);
      if (raw == null) {
        return null;
      }
    }
    List<String> out = new ArrayList<>(raw.size());
    for (String s : raw) {
      String v = s.trim();
      if (v.regionMatches(true, 0, "mx:", 0, 3)) {
        warnings.add(
            new Warning(
                "mx_host_prefix",
                path + " entry '" + Rfc3339.abbreviate(s) + "' has a stray 'mx:' prefix; removed"));
        v = v.substring(3);
      }
      v = Domains.normalise(v);
      if (!v.isEmpty()) {
        out.add(v);
      }
    }
    return out.isEmpty() ? null : out;
  }

  private long[] summary(JsonParser p, Loc path) throws IOException {
    expectObject(p, path);
    long successful = -1;
    long failed = -1;
    int members = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "total-successful-session-count" -> {
          members = seen(members, 1, p);
          successful = count(p, path, "total-successful-session-count");
        }
        case "total-failure-session-count" -> {
          members = seen(members, 2, p);
          failed = count(p, path, "total-failure-session-count");
        }
        default -> p.skipChildren();
      }
    }
    if (successful < 0) {
      throw missing(path.field("total-successful-session-count"));
    }
    if (failed < 0) {
      throw missing(path.field("total-failure-session-count"));
    }
    return new long[] {successful, failed};
  }

  private List<String> stringList(JsonParser p, Loc path, List<Warning> warnings, int[] budget)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_STRING) {
      warnings.add(new Warning("string_not_array", path + " is a string, not an array"));
      return List.of(p.getText());
    }
    if (t != JsonToken.START_ARRAY) {
      throw invalid(path + " must be an array of strings, found " + describe(t));
    }
    List<String> out = new ArrayList<>(6);
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (--budget[1] < 0) {
        throw new InputRejectedException(
            RejectCode.SIZE_LIMIT,
            "the report has more than "
                + limits.maxPolicyStrings()
                + " policy-string and mx-host entries (limit maxPolicyStrings), at "
                + path);
      }
      if (t != JsonToken.VALUE_STRING) {
        throw invalid(path + "[" + out.size() + "] must be a string, found " + describe(t));
      }
      out.add(p.getText());
    }
    return out;
  }
}

package org.tlsrpt.parser.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tlsrpt.parser.model.DateRange;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.PolicyResult;
import org.tlsrpt.parser.model.PolicyType;
import org.tlsrpt.parser.model.ResultType;
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

  public TlsRptJsonReader(ParserLimits limits) {
    this.limits = limits;
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

  private static InputRejectedException translate(IOException e) {
    if (e instanceof StreamConstraintsException c) {
      String m = c.getOriginalMessage();
      RejectCode code =
          m != null && m.toLowerCase(Locale.ROOT).contains("nesting depth")
              ? RejectCode.DEPTH_LIMIT
              : RejectCode.SIZE_LIMIT;
      return new InputRejectedException(code, "JSON " + firstSentence(m));
    }
    if (e instanceof InputCoercionException c) {
      return new InputRejectedException(
          RejectCode.INVALID_VALUE,
          "number out of range at " + location(c) + ": " + firstSentence(c.getOriginalMessage()));
    }
    if (e instanceof JsonProcessingException j) {
      return new InputRejectedException(
          RejectCode.INVALID_JSON,
          "not well-formed JSON at " + location(j) + ": " + firstSentence(j.getOriginalMessage()));
    }
    // the byte-array sources cannot fail, so this came from a decompressing stream
    return new InputRejectedException(
        RejectCode.DECOMPRESSION_ERROR, "compressed report body is corrupt: " + e.getMessage());
  }

  /**
   * Marks a known member as seen in the current object, refusing a repeat: I-JSON (RFC 7493)
   * forbids duplicate names, and a repeated report-id or count would be ambiguous. Unknown members
   * are skipped unchecked, which spares a hash set per object (Jackson's own check costs about a
   * tenth of the parse).
   */
  private static int seen(int seen, int bit, JsonParser p) throws IOException {
    if ((seen & bit) != 0) {
      throw new InputRejectedException(
          RejectCode.INVALID_JSON,
          "duplicate member '"
              + p.currentName()
              + "' at "
              + p.currentLocation().offsetDescription()
              + " (I-JSON, RFC 7493, forbids repeated names)");
    }
    return seen | bit;
  }

  private static String location(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null
        ? "unknown position"
        : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String firstSentence(String m) {
    if (m == null) {
      return "unknown error";
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
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

  private DateRange dateRange(JsonParser p, List<Warning> warnings) throws IOException {
    expectObject(p, "date-range");
    Instant start = null;
    Instant end = null;
    int members = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "start-datetime" -> {
          members = seen(members, 1, p);
          start = dateTime(p, "date-range.start-datetime", warnings);
        }
        case "end-datetime" -> {
          members = seen(members, 2, p);
          end = dateTime(p, "date-range.end-datetime", warnings);
        }
        default -> p.skipChildren();
      }
    }
    if (start == null) {
      throw missing("date-range.start-datetime");
    }
    if (end == null) {
      throw missing("date-range.end-datetime");
    }
    if (end.isBefore(start)) {
      throw invalid(
          "date-range.end-datetime " + end + " is before date-range.start-datetime " + start);
    }
    return new DateRange(start, end);
  }

  private static Instant dateTime(JsonParser p, String field, List<Warning> warnings)
      throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      text(p, Loc.ROOT, field); // refuses a wrong type; JSON null reads as absent
      return null;
    }
    // read from Jackson's buffer: no String for a value that becomes an Instant
    char[] chars = p.getTextCharacters();
    int off = p.getTextOffset();
    int len = p.getTextLength();
    int i = off;
    while (i < off + len && chars[i] <= ' ') {
      i++;
    }
    return i == off + len ? null : Rfc3339.parse(chars, off, len, field, warnings);
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
          failures = failureDetails(p, path, warnings, budget);
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

  private List<FailureDetail> failureDetails(
      JsonParser p, PolicyLocs locs, List<Warning> warnings, int[] budget) throws IOException {
    Loc path = locs.failureDetails;
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (t != JsonToken.START_ARRAY) {
      throw invalid(path + " must be an array, found " + describe(t));
    }
    List<FailureDetail> out = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (--budget[0] < 0) {
        throw new InputRejectedException(
            RejectCode.SIZE_LIMIT,
            "the report has more than "
                + limits.maxFailureDetails()
                + " failure-details entries (limit maxFailureDetails), at "
                + path);
      }
      Loc item = locs.detail(out.size());
      if (t != JsonToken.START_OBJECT) {
        throw invalid(item + " must be an object, found " + describe(t));
      }
      out.add(failureDetail(p, item, warnings));
    }
    return out;
  }

  private FailureDetail failureDetail(JsonParser p, Loc path, List<Warning> warnings)
      throws IOException {
    String resultType = null;
    String sendingIp = null;
    String mxHostname = null;
    String helo = null;
    String receivingIp = null;
    long count = -1;
    String reasonCode = null;
    String info = null;
    String infoUri = null;
    int members = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "result-type" -> {
          members = seen(members, 1, p);
          resultType = knownOrText(p, RESULT_TYPES, path, "result-type");
        }
        case "sending-mta-ip" -> {
          members = seen(members, 2, p);
          sendingIp = ip(p, path, "sending-mta-ip", warnings);
        }
        case "receiving-mx-hostname" -> {
          members = seen(members, 4, p);
          mxHostname = text(p, path, "receiving-mx-hostname");
        }
        case "receiving-mx-helo" -> {
          members = seen(members, 8, p);
          helo = text(p, path, "receiving-mx-helo");
        }
        case "receiving-ip" -> {
          members = seen(members, 16, p);
          receivingIp = ip(p, path, "receiving-ip", warnings);
        }
        case "failed-session-count" -> {
          members = seen(members, 32, p);
          count = count(p, path, "failed-session-count");
        }
        case "failure-reason-code" -> {
          members = seen(members, 64, p);
          reasonCode = text(p, path, "failure-reason-code");
        }
        case "additional-information" -> {
          members = seen(members, 128, p);
          info = text(p, path, "additional-information");
        }
        case "additional-info-uri" -> {
          members = seen(members, 256, p);
          infoUri = text(p, path, "additional-info-uri");
        }
        default -> p.skipChildren();
      }
    }
    require(resultType, path, "result-type");
    if (count < 0) {
      throw missing(path.field("failed-session-count"));
    }
    ResultType type = ResultType.of(resultType);
    if (!type.isKnown()) {
      warnings.add(
          new Warning(
              "unknown_result_type",
              path
                  + ".result-type '"
                  + Rfc3339.abbreviate(resultType)
                  + "' is not a registered result type; kept as sent"));
    }
    if (info != null && infoUri != null && !info.equals(infoUri)) {
      warnings.add(
          new Warning(
              "additional_information_twice",
              path
                  + " has both additional-information and additional-info-uri; kept additional-information"));
    }
    return new FailureDetail(
        type,
        sendingIp,
        mxHostname == null ? null : Domains.normalise(mxHostname),
        helo,
        receivingIp,
        count,
        reasonCode,
        info != null ? info : infoUri);
  }

  private static String ip(JsonParser p, Loc parent, String field, List<Warning> warnings)
      throws IOException {
    String s = text(p, parent, field);
    if (s == null) {
      return null;
    }
    String canonical = IpAddresses.canonical(s);
    if (canonical == null) {
      warnings.add(
          new Warning(
              "ip_address_invalid",
              parent.field(field)
                  + " '"
                  + Rfc3339.abbreviate(s)
                  + "' is not an IP address literal; kept as sent"));
      return s;
    }
    return canonical;
  }

  private static final String[] RESULT_TYPES =
      java.util.Arrays.stream(ResultType.Known.values())
          .map(ResultType.Known::wire)
          .toArray(String[]::new);
  private static final String[] POLICY_TYPES =
      java.util.Arrays.stream(PolicyType.Known.values())
          .map(PolicyType.Known::wire)
          .toArray(String[]::new);

  /** A string that is usually one of a few known values: those are returned without allocating. */
  private static String knownOrText(JsonParser p, String[] known, Loc parent, String field)
      throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      char[] chars = p.getTextCharacters();
      int off = p.getTextOffset();
      int len = p.getTextLength();
      for (String k : known) {
        if (k.length() == len && regionEquals(chars, off, k)) {
          return k;
        }
      }
    }
    return text(p, parent, field);
  }

  private static boolean regionEquals(char[] chars, int off, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (chars[off + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A string member; JSON null and the empty string read as absent. */
  private static String text(JsonParser p, Loc parent, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText();
      return s.isEmpty() || (s.charAt(0) <= ' ' && s.isBlank()) ? null : s;
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw invalid(parent.field(field) + " must be a string, found " + describe(t));
  }

  /** An identifier: a string, or a number some reporters send instead, kept as its digits. */
  private static String idText(JsonParser p, Loc parent, String field, List<Warning> warnings)
      throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      warnings.add(
          new Warning(
              "report_id_number", parent.field(field) + " is a number; kept as its digits"));
      return p.getText();
    }
    return text(p, parent, field);
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

  /** A session count: a non-negative JSON integer that fits 64 bits. */
  private static long count(JsonParser p, Loc parent, String field) throws IOException {
    JsonToken t = p.currentToken();

    if (t == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw invalid(parent.field(field) + " " + p.getText() + " does not fit a 64-bit count");
      }
      long v = p.getLongValue();
      if (v < 0) {
        throw invalid(parent.field(field) + " is negative (" + v + ")");
      }
      return v;
    }
    if (t == JsonToken.VALUE_NULL) {
      throw missing(parent.field(field));
    }
    throw invalid(
        parent.field(field) + " must be a JSON integer, found " + describe(t) + valueSuffix(p, t));
  }

  private static String valueSuffix(JsonParser p, JsonToken t) throws IOException {
    return t.isScalarValue() ? " '" + Rfc3339.abbreviate(p.getText()) + "'" : "";
  }

  private static void expectObject(JsonParser p, Object path) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      throw missing(path);
    }
    if (t != JsonToken.START_OBJECT) {
      throw invalid(path + " must be an object, found " + describe(t));
    }
  }

  private static void require(String value, String path) {
    if (value == null) {
      throw missing(path);
    }
  }

  private static void require(String value, Loc parent, String field) {
    if (value == null) {
      throw missing(parent.field(field));
    }
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }

  private static InputRejectedException missing(Object path) {
    return new InputRejectedException(
        RejectCode.MISSING_FIELD, path + " is required but absent, null or empty");
  }

  private static InputRejectedException invalid(String detail) {
    return new InputRejectedException(RejectCode.INVALID_VALUE, detail);
  }
}

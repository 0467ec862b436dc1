package org.tlsrpt.parser.json;

import static org.tlsrpt.parser.json.JsonProblems.describe;
import static org.tlsrpt.parser.json.JsonProblems.invalid;
import static org.tlsrpt.parser.json.JsonProblems.missing;
import static org.tlsrpt.parser.json.JsonProblems.require;
import static org.tlsrpt.parser.json.JsonProblems.seen;
import static org.tlsrpt.parser.json.JsonValues.RESULT_TYPES;
import static org.tlsrpt.parser.json.JsonValues.count;
import static org.tlsrpt.parser.json.JsonValues.ip;
import static org.tlsrpt.parser.json.JsonValues.knownOrText;
import static org.tlsrpt.parser.json.JsonValues.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.tlsrpt.parser.model.FailureDetail;
import org.tlsrpt.parser.model.ResultType;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.ParserLimits;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.parser.rules.Warning;

/** Reads a policy's failure-details array (RFC 8460 §4.3), within the report's entry budget. */
final class FailureDetailReader {
  private final ParserLimits limits;

  FailureDetailReader(ParserLimits limits) {
    this.limits = limits;
  }

  List<FailureDetail> failureDetails(
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
}

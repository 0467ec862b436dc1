package org.tlsrpt.parser.json;

import static org.tlsrpt.parser.json.JsonProblems.describe;
import static org.tlsrpt.parser.json.JsonProblems.expectObject;
import static org.tlsrpt.parser.json.JsonProblems.invalid;
import static org.tlsrpt.parser.json.JsonProblems.missing;
import static org.tlsrpt.parser.json.JsonProblems.seen;
import static org.tlsrpt.parser.json.JsonProblems.valueSuffix;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.tlsrpt.parser.model.DateRange;
import org.tlsrpt.parser.model.PolicyType;
import org.tlsrpt.parser.model.ResultType;
import org.tlsrpt.parser.rules.Warning;

/**
 * The scalar members of a report, read from the current token: strings (JSON null and the empty
 * string read as absent), identifiers, session counts, date-times and the date-range, IP addresses,
 * with the warnings for tolerated quirks.
 */
final class JsonValues {
  private JsonValues() {}

  static Instant dateTime(JsonParser p, String field, List<Warning> warnings) throws IOException {
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

  static String ip(JsonParser p, Loc parent, String field, List<Warning> warnings)
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

  static final String[] RESULT_TYPES =
      java.util.Arrays.stream(ResultType.Known.values())
          .map(ResultType.Known::wire)
          .toArray(String[]::new);

  static final String[] POLICY_TYPES =
      java.util.Arrays.stream(PolicyType.Known.values())
          .map(PolicyType.Known::wire)
          .toArray(String[]::new);

  /** A string that is usually one of a few known values: those are returned without allocating. */
  static String knownOrText(JsonParser p, String[] known, Loc parent, String field)
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

  static boolean regionEquals(char[] chars, int off, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (chars[off + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A string member; JSON null and the empty string read as absent. */
  static String text(JsonParser p, Loc parent, String field) throws IOException {
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
  static String idText(JsonParser p, Loc parent, String field, List<Warning> warnings)
      throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      warnings.add(
          new Warning(
              "report_id_number", parent.field(field) + " is a number; kept as its digits"));
      return p.getText();
    }
    return text(p, parent, field);
  }

  /** A session count: a non-negative JSON integer that fits 64 bits. */
  static long count(JsonParser p, Loc parent, String field) throws IOException {
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

  static DateRange dateRange(JsonParser p, List<Warning> warnings) throws IOException {
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
}

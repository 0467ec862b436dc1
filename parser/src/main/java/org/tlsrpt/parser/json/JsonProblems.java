package org.tlsrpt.parser.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.Locale;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.RejectCode;

/**
 * How the report reader refuses what it reads: the messages name the member's path, what was found
 * and what was expected (CONVENTIONS.md §3), and Jackson's own errors are translated here.
 */
final class JsonProblems {
  private JsonProblems() {}

  static InputRejectedException translate(IOException e) {
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
  static int seen(int seen, int bit, JsonParser p) throws IOException {
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

  static String location(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null
        ? "unknown position"
        : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  static String firstSentence(String m) {
    if (m == null) {
      return "unknown error";
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  static String valueSuffix(JsonParser p, JsonToken t) throws IOException {
    return t.isScalarValue() ? " '" + Rfc3339.abbreviate(p.getText()) + "'" : "";
  }

  static void expectObject(JsonParser p, Object path) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      throw missing(path);
    }
    if (t != JsonToken.START_OBJECT) {
      throw invalid(path + " must be an object, found " + describe(t));
    }
  }

  static void require(String value, String path) {
    if (value == null) {
      throw missing(path);
    }
  }

  static void require(String value, Loc parent, String field) {
    if (value == null) {
      throw missing(parent.field(field));
    }
  }

  static String describe(JsonToken t) {
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

  static InputRejectedException missing(Object path) {
    return new InputRejectedException(
        RejectCode.MISSING_FIELD, path + " is required but absent, null or empty");
  }

  static InputRejectedException invalid(String detail) {
    return new InputRejectedException(RejectCode.INVALID_VALUE, detail);
  }
}

package org.tlsrpt.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * What every hand-written query of tlsrpt shares: values put into SQL as quoted literals, and
 * JSONEachRow results read into maps of strings, whole numbers, nulls and arrays of strings
 * (ClickHouse quotes 64-bit integers in JSON, so the readers below take both forms).
 */
public final class QueryRows {
  private static final JsonFactory JSON = new JsonFactory();

  private QueryRows() {}

  /** A ClickHouse string literal holding {@code s} exactly. */
  public static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Runs {@code sql} and reads its rows. */
  public static List<Map<String, Object>> query(ClickHouse ch, String sql) {
    return read(ch.query(sql, "JSONEachRow"));
  }

  /** Reads a JSONEachRow result. */
  public static List<Map<String, Object>> read(byte[] jsonEachRow) {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (JsonParser p = JSON.createParser(jsonEachRow)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.START_OBJECT) {
          continue;
        }
        Map<String, Object> row = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          row.put(name, value(p, p.nextToken()));
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static Object value(JsonParser p, JsonToken v) throws IOException {
    return switch (v) {
      case VALUE_NUMBER_INT -> p.getLongValue();
      case VALUE_NULL -> null;
      case START_ARRAY -> {
        List<String> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(t == JsonToken.VALUE_NULL ? null : p.getText());
        }
        yield Collections.unmodifiableList(items);
      }
      default -> p.getText();
    };
  }

  /** A whole number (0 when absent or null). */
  public static long num(Map<String, Object> r, String k) {
    Object v = r.get(k);
    if (v == null) {
      return 0;
    }
    return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
  }

  /** A number with a fraction (0 when absent or null). */
  public static double dbl(Map<String, Object> r, String k) {
    Object v = r.get(k);
    if (v == null) {
      return 0;
    }
    return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
  }

  /** A string (null when absent or null). */
  public static String str(Map<String, Object> r, String k) {
    Object v = r.get(k);
    return v == null ? null : v.toString();
  }

  /** An array of strings (empty when absent). */
  @SuppressWarnings("unchecked")
  public static List<String> strings(Map<String, Object> r, String k) {
    Object v = r.get(k);
    return v instanceof List<?> l ? (List<String>) l : List.of();
  }
}

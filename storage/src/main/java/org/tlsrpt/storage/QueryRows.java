package org.tlsrpt.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tlsrpt.storage.engine.ClickHouse;

/**
 * What every hand-written query of tlsrpt shares: values put into SQL as quoted literals, and
 * JSONEachRow results read into maps of strings, whole numbers, nulls, arrays of strings and maps
 * of strings (ClickHouse quotes 64-bit integers in JSON, so the readers below take both forms); and
 * JSONEachRow rows to insert, written with Jackson's generator.
 */
public final class QueryRows {
  private static final JsonFactory JSON = new JsonFactory();

  private QueryRows() {}

  /** A ClickHouse string literal holding {@code s} exactly. */
  public static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A SQL expression for the instant {@code t} as a {@code DateTime64(3, 'UTC')}. */
  public static String instant(Instant t) {
    return "fromUnixTimestamp64Milli(" + t.toEpochMilli() + ", 'UTC')";
  }

  /** Runs {@code sql} and reads its rows. */
  public static List<Map<String, Object>> query(ClickHouse ch, String sql) {
    return read(ch.query(sql, "JSONEachRow"));
  }

  /**
   * Runs {@code sql}, a query of one column whose values hold no tab, newline or backslash (hex
   * keys, for one), and reads the distinct values.
   */
  public static java.util.Set<String> column(ClickHouse ch, String sql) {
    String out = new String(ch.query(sql, "TabSeparated"), java.nio.charset.StandardCharsets.UTF_8);
    java.util.Set<String> values = new java.util.HashSet<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        values.add(line.trim());
      }
    }
    return values;
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
      case START_OBJECT -> {
        Map<String, String> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          entries.put(name, p.nextToken() == JsonToken.VALUE_NULL ? null : p.getText());
        }
        yield Collections.unmodifiableMap(entries);
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

  /** A map of strings, as ClickHouse writes a {@code Map(String, String)} (empty when absent). */
  @SuppressWarnings("unchecked")
  public static Map<String, String> stringMap(Map<String, Object> r, String k) {
    Object v = r.get(k);
    return v instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
  }

  /** Writes one row of a JSONEachRow insert: one JSON object. */
  @FunctionalInterface
  public interface RowWriter<T> {
    void write(JsonGenerator g, T item) throws IOException;
  }

  /** The JSONEachRow body of an insert: one object per item, each on its own line. */
  public static <T> byte[] jsonEachRow(Iterable<T> items, RowWriter<T> row) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setRootValueSeparator(new SerializedString("\n"));
      boolean any = false;
      for (T item : items) {
        row.write(g, item);
        any = true;
      }
      if (any) {
        g.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static final DateTimeFormatter DATE_TIME_64 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  /** Writes a {@code DateTime64(3, 'UTC')} field as JSONEachRow reads it. */
  public static void writeTime(JsonGenerator g, String field, Instant t) throws IOException {
    g.writeStringField(field, DATE_TIME_64.format(t));
  }

  /** Writes an {@code Array(String)} field. */
  public static void writeStrings(JsonGenerator g, String field, List<String> xs)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String x : xs) {
      g.writeString(x);
    }
    g.writeEndArray();
  }
}

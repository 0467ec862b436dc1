package org.tlsrpt.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The rows a query returned, with the column types ClickHouse reported (read from
 * JSONCompactEachRowWithNamesAndTypes), and typed getters for assertions.
 */
record QueryRows(
    String sql, List<String> names, List<String> types, List<Map<String, JsonNode>> rows) {
  static final String FORMAT = "JSONCompactEachRowWithNamesAndTypes";
  private static final ObjectMapper JSON = new ObjectMapper();

  static QueryRows parse(String sql, byte[] result) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : new String(result, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        lines.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new UncheckedIOException("not a " + FORMAT + " line: " + line, e);
      }
    }
    if (lines.size() < 2) {
      throw new IllegalStateException("no names and types in the result of " + sql);
    }
    List<String> names = new ArrayList<>();
    lines.get(0).forEach(n -> names.add(n.asText()));
    List<String> types = new ArrayList<>();
    lines.get(1).forEach(n -> types.add(n.asText()));
    List<Map<String, JsonNode>> rows = new ArrayList<>();
    for (JsonNode line : lines.subList(2, lines.size())) {
      Map<String, JsonNode> row = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        row.put(names.get(i), line.get(i));
      }
      rows.add(row);
    }
    return new QueryRows(sql, List.copyOf(names), List.copyOf(types), List.copyOf(rows));
  }

  /** Whether ClickHouse type {@code type} is a number to Grafana (integers, floats, decimals). */
  static boolean numeric(String type) {
    String t = type.replaceFirst("^Nullable\\((.*)\\)$", "$1");
    return t.matches("U?Int\\d+|Float\\d+|Decimal.*");
  }

  /** Whether ClickHouse type {@code type} is a time to Grafana (Date, DateTime, DateTime64). */
  static boolean time(String type) {
    return type.matches("(Nullable\\()?(Date|Date32|DateTime|DateTime64)\\b.*");
  }

  String type(String column) {
    int i = names.indexOf(column);
    if (i < 0) {
      throw new AssertionError("no column '" + column + "' in " + names);
    }
    return types.get(i);
  }

  int size() {
    return rows.size();
  }

  Row get(int i) {
    return new Row(rows.get(i));
  }

  List<Row> all() {
    return rows.stream().map(Row::new).toList();
  }

  /** The one row matching, or an AssertionError naming the query. */
  Row one(Predicate<Row> which, String what) {
    List<Row> found = all().stream().filter(which).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one row " + what + ", found " + found.size() + " in " + this.describe());
    }
    return found.get(0);
  }

  /** The row whose column {@code column} is {@code value}. */
  Row where(String column, String value) {
    return one(r -> value.equals(r.text(column)), column + " = '" + value + "'");
  }

  Optional<Row> find(String column, String value) {
    return all().stream().filter(r -> value.equals(r.text(column))).findFirst();
  }

  List<String> column(String name) {
    return all().stream().map(r -> r.text(name)).toList();
  }

  String describe() {
    StringBuilder b =
        new StringBuilder(sql)
            .append("\n -> ")
            .append(rows.size())
            .append(" rows of ")
            .append(names)
            .append(' ')
            .append(types);
    for (Map<String, JsonNode> r : rows.subList(0, Math.min(rows.size(), 30))) {
      b.append("\n    ").append(r);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return describe();
  }

  /** One row. Numbers may arrive quoted (64-bit integers in JSON); both forms are read. */
  record Row(Map<String, JsonNode> values) {
    JsonNode node(String column) {
      JsonNode n = values.get(column);
      if (n == null) {
        throw new AssertionError("no column '" + column + "' in " + values);
      }
      return n;
    }

    String text(String column) {
      JsonNode n = node(column);
      return n.isNull() ? null : n.isValueNode() ? n.asText() : n.toString();
    }

    BigDecimal decimal(String column) {
      JsonNode n = node(column);
      if (n.isNull()) {
        throw new AssertionError("column '" + column + "' is null in " + values);
      }
      return new BigDecimal(n.asText());
    }

    long lng(String column) {
      return decimal(column).longValueExact();
    }

    double dbl(String column) {
      return decimal(column).doubleValue();
    }

    List<String> list(String column) {
      JsonNode n = node(column);
      List<String> out = new ArrayList<>();
      n.forEach(e -> out.add(e.asText()));
      return out;
    }
  }
}

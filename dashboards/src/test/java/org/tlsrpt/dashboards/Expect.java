package org.tlsrpt.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** Assertions on query results, with the query and its rows in every failure message. */
final class Expect {
  private Expect() {}

  static String[] cols(String... names) {
    return names;
  }

  static Object[] row(Object... cells) {
    return cells;
  }

  /**
   * The rows, in order, on these columns. A Double cell is compared to 9 decimals; anything else by
   * its text ({@code 190}, {@code "shop.example"}, {@code "2026-12-09 23:59:59.000"}).
   */
  static void rows(QueryRows r, String[] columns, Object[]... expected) {
    List<List<String>> want = new ArrayList<>();
    List<List<String>> got = new ArrayList<>();
    for (Object[] e : expected) {
      if (e.length != columns.length) {
        throw new IllegalArgumentException("expected row with " + e.length + " cells");
      }
      List<String> cells = new ArrayList<>();
      for (Object c : e) {
        cells.add(c instanceof Double d ? round(BigDecimal.valueOf(d)) : String.valueOf(c));
      }
      want.add(cells);
    }
    for (QueryRows.Row actual : r.all()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < columns.length; i++) {
        String text = actual.text(columns[i]);
        boolean decimal = expected.length > 0 && expected[0][i] instanceof Double;
        cells.add(decimal && text != null ? round(new BigDecimal(text)) : String.valueOf(text));
      }
      got.add(cells);
    }
    assertThat(got).as("%s", r).containsExactlyElementsOf(want);
  }

  /** The one row whose columns hold these values, e.g. a point of a time series. */
  static QueryRows.Row point(QueryRows r, String... columnValuePairs) {
    StringBuilder what = new StringBuilder();
    for (int i = 0; i < columnValuePairs.length; i += 2) {
      what.append(columnValuePairs[i]).append('=').append(columnValuePairs[i + 1]).append(' ');
    }
    return r.one(
        row -> {
          for (int i = 0; i < columnValuePairs.length; i += 2) {
            if (!columnValuePairs[i + 1].equals(row.text(columnValuePairs[i]))) {
              return false;
            }
          }
          return true;
        },
        what.toString().strip());
  }

  static long sum(QueryRows r, String column) {
    return r.all().stream().mapToLong(x -> x.lng(column)).sum();
  }

  /** A single-value panel (stat): one row, the number in {@code column}. */
  static BigDecimal single(QueryRows r, String column) {
    assertThat(r.size()).as("rows of %s", r).isEqualTo(1);
    return r.get(0).decimal(column);
  }

  private static String round(BigDecimal d) {
    return d.setScale(9, RoundingMode.HALF_UP).toPlainString();
  }
}

package org.tlsrpt.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Expands a panel's or an alert rule's SQL the way Grafana and the ClickHouse plugin do before the
 * query reaches ClickHouse, so that the tests run exactly what Grafana would send.
 *
 * <ol>
 *   <li>In the browser, for dashboards: {@code $__conditionalAll(condition, $var)} becomes {@code
 *       1=1} when the variable is set to All, else the condition (the plugin's frontend); then
 *       template variables are replaced: {@code ${var:singlequote}} quotes each value and escapes
 *       {@code '} as {@code \'} (Grafana's format).
 *   <li>In the plugin's backend, for dashboards and alert rules alike: the time macros ({@code
 *       $__timeFilter(col)}, {@code $__dateFilter(col)}, {@code $__fromTime}, {@code $__toTime},
 *       {@code $__timeInterval(col)}...) become SQL over the query's time range.
 * </ol>
 *
 * Anything it does not know (a variable the dashboard does not define, a macro the plugin does not
 * have, All outside {@code $__conditionalAll}) fails loudly: a dashboard must not depend on it.
 */
final class GrafanaSql {
  private GrafanaSql() {}

  /** A query's time range and interval (Grafana derives the interval from range and width). */
  record TimeRange(Instant from, Instant to, Duration interval) {
    static TimeRange of(String from, String to) {
      return new TimeRange(Instant.parse(from), Instant.parse(to), Duration.ofHours(1));
    }

    /**
     * The range a rule with this relativeTimeRange (seconds back from now) queries at {@code now}.
     */
    static TimeRange relative(Instant now, long fromSeconds, long toSeconds) {
      return new TimeRange(
          now.minusSeconds(fromSeconds), now.minusSeconds(toSeconds), Duration.ofMinutes(1));
    }
  }

  /** The value of a multi-value variable with an All option: All, or the values picked. */
  sealed interface Selection {
    record All() implements Selection {}

    record Values(List<String> values) implements Selection {
      public Values {
        values = List.copyOf(values);
      }
    }

    static Selection all() {
      return new All();
    }

    static Selection of(String... values) {
      return new Values(List.of(values));
    }
  }

  private static final String CONDITIONAL_ALL = "$__conditionalAll(";
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\$(?!__)(\\w+)");
  private static final Pattern VARIABLE_NAME = Pattern.compile("\\$\\{?(\\w+)}?");
  private static final Pattern MACRO = Pattern.compile("\\$__(\\w+)(?:\\(([^()]*)\\))?");

  /** A dashboard query: variables first (browser), then macros (plugin backend). */
  static String expand(String sql, TimeRange range, Map<String, Selection> variables) {
    return macros(templateVariables(conditionalAll(sql, variables), variables), range);
  }

  /** An alert rule's query: the backend alone; there are no template variables in alerting. */
  static String expandRule(String sql, TimeRange range) {
    return expand(sql, range, Map.of());
  }

  /** The names of the template variables a query uses (not Grafana's $__ macros). */
  static List<String> variableNames(String sql) {
    List<String> names = new ArrayList<>();
    Matcher m = VARIABLE.matcher(sql);
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(3);
      if (!name.startsWith("__")) {
        names.add(name);
      }
    }
    return names;
  }

  private static String conditionalAll(String sql, Map<String, Selection> variables) {
    String out = sql;
    int at = out.lastIndexOf(CONDITIONAL_ALL);
    while (at >= 0) {
      int open = at + CONDITIONAL_ALL.length() - 1;
      List<String> args = new ArrayList<>();
      int depth = 0;
      int argStart = open + 1;
      int end = -1;
      for (int i = open; i < out.length() && end < 0; i++) {
        char c = out.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth == 0) {
            args.add(out.substring(argStart, i));
            end = i;
          }
        } else if (c == ',' && depth == 1) {
          args.add(out.substring(argStart, i));
          argStart = i + 1;
        }
      }
      if (end < 0 || args.size() != 2) {
        throw new IllegalArgumentException(
            "$__conditionalAll takes (condition, $variable): " + out.substring(at));
      }
      Matcher name = VARIABLE_NAME.matcher(args.get(1).strip());
      if (!name.matches()) {
        throw new IllegalArgumentException(
            "the second argument of $__conditionalAll is no variable: " + args.get(1));
      }
      Selection s = selection(variables, name.group(1));
      String phrase = s instanceof Selection.All ? "1=1" : args.get(0);
      out = out.substring(0, at) + phrase + out.substring(end + 1);
      at = out.lastIndexOf(CONDITIONAL_ALL);
    }
    return out;
  }

  private static String templateVariables(String sql, Map<String, Selection> variables) {
    Matcher m = VARIABLE.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(3);
      String format = m.group(2);
      Selection s = selection(variables, name);
      if (!(s instanceof Selection.Values v)) {
        throw new IllegalArgumentException(
            "$"
                + name
                + " is used outside $__conditionalAll: with All selected Grafana would list every"
                + " value of the variable into the query");
      }
      if (format == null || !format.equals("singlequote")) {
        throw new IllegalArgumentException(
            "$"
                + name
                + " must be written ${"
                + name
                + ":singlequote}: the plugin's default format does not escape quotes");
      }
      String quoted =
          v.values().stream()
              .map(x -> "'" + x.replace("'", "\\'") + "'")
              .collect(Collectors.joining(","));
      m.appendReplacement(out, Matcher.quoteReplacement(quoted));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Selection selection(Map<String, Selection> variables, String name) {
    Selection s = variables.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "$" + name + " is not a variable of the dashboard (defined: " + variables.keySet() + ")");
    }
    return s;
  }

  private static String macros(String sql, TimeRange r) {
    Matcher m = MACRO.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String arg = m.group(2) == null ? null : m.group(2).strip();
      String sqlText =
          switch (name) {
            case "timeFilter" ->
                arg(name, arg)
                    + " >= "
                    + dateTime(r.from())
                    + " AND "
                    + arg
                    + " <= "
                    + dateTime(r.to());
            case "timeFilter_ms" ->
                arg(name, arg)
                    + " >= "
                    + dateTime64(r.from())
                    + " AND "
                    + arg
                    + " <= "
                    + dateTime64(r.to());
            case "dateFilter" ->
                arg(name, arg) + " >= " + date(r.from()) + " AND " + arg + " <= " + date(r.to());
            case "fromTime" -> noArg(name, arg, dateTime(r.from()));
            case "toTime" -> noArg(name, arg, dateTime(r.to()));
            case "fromTime_ms" -> noArg(name, arg, dateTime64(r.from()));
            case "toTime_ms" -> noArg(name, arg, dateTime64(r.to()));
            case "timeInterval" ->
                "toStartOfInterval(toDateTime("
                    + arg(name, arg)
                    + "), INTERVAL "
                    + Math.max(1, r.interval().toSeconds())
                    + " second)";
            case "interval_s" -> noArg(name, arg, Long.toString(r.interval().toSeconds()));
            default ->
                throw new IllegalArgumentException(
                    "$__" + name + " is no macro of the ClickHouse plugin's backend");
          };
      m.appendReplacement(out, Matcher.quoteReplacement(sqlText));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String arg(String macro, String arg) {
    if (arg == null || arg.isEmpty() || arg.contains(",")) {
      throw new IllegalArgumentException("$__" + macro + " takes one column");
    }
    return arg;
  }

  private static String noArg(String macro, String arg, String value) {
    if (arg != null) {
      throw new IllegalArgumentException("$__" + macro + " takes no arguments");
    }
    return value;
  }

  private static String dateTime(Instant t) {
    return "toDateTime(" + t.getEpochSecond() + ")";
  }

  private static String dateTime64(Instant t) {
    return "fromUnixTimestamp64Milli(" + t.toEpochMilli() + ")";
  }

  private static String date(Instant t) {
    return "toDate('" + LocalDate.ofInstant(t, ZoneOffset.UTC) + "')";
  }
}

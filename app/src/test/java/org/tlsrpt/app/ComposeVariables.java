package org.tlsrpt.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker Compose interpolation ({@code ${VAR}}, {@code ${VAR:-default}}, {@code $$}) resolved as if
 * no variable were set, so a test sees the file's own defaults whatever the machine's environment.
 */
final class ComposeVariables {
  private ComposeVariables() {}

  /** A {@code ${NAME<op>value}} reference; op is "", ":-", "-", ":?", "?", ":+" or "+". */
  record Reference(String name, String operator, String value) {}

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");
  private static final Pattern BARE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

  /** Every reference in the text, in order ({@code $$} escapes are not references). */
  static List<Reference> references(String text) {
    List<Reference> out = new ArrayList<>();
    Matcher m = REFERENCE.matcher(text.replace("$$", ""));
    while (m.find()) {
      out.add(
          new Reference(
              m.group(1),
              m.group(2) == null ? "" : m.group(2),
              m.group(3) == null ? "" : m.group(3)));
    }
    return out;
  }

  /** The value with every reference replaced by what it gives when its variable is unset. */
  static String withDefaults(String value) {
    String escaped = value.replace("$$", "\u0000");
    Matcher m = REFERENCE.matcher(escaped);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String op = m.group(2) == null ? "" : m.group(2);
      if (op.endsWith("?")) {
        throw new AssertionError(
            "'" + value + "' requires " + m.group(1) + " to be set: the file has no default");
      }
      String replacement = op.endsWith("-") ? m.group(3) : "";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    String resolved = BARE.matcher(out.toString()).replaceAll("");
    return resolved.replace('\u0000', '$');
  }

  /** Each variable's defaults ({@code :-} and {@code -} forms), to find two that disagree. */
  static Map<String, List<String>> defaults(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Reference r : references(text)) {
      if (r.operator().endsWith("-")) {
        out.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r.value());
      }
    }
    return out;
  }
}

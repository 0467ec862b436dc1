package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every SQL statement of tlsrpt lives in {@code storage} (docs/adr/0012, issue 12): the main code
 * of every other module holds no SQL text. ArchUnit cannot see string constants, so this test reads
 * the sources: it collects the string literals of each file (comments and character literals left
 * out) and looks through them, joined in order, for SQL. It reads sources rather than classes so
 * that it sees {@code bench} too, which is not on this module's classpath. Tests may keep SQL for
 * their set-up and assertions; they are not scanned.
 */
class SqlOnlyInStorageTest {

  /** What SQL looks like in a literal; upper case, as the statements of tlsrpt are written. */
  static final List<Pattern> SQL =
      List.of(
          Pattern.compile("\\bSELECT\\b.{0,400}?\\bFROM\\b", Pattern.DOTALL),
          Pattern.compile("\\bINSERT\\s+INTO\\b"),
          Pattern.compile("\\bALTER\\s+TABLE\\b"),
          Pattern.compile("\\bDELETE\\s+FROM\\b"),
          Pattern.compile(
              "\\b(CREATE|DROP|DETACH|ATTACH|TRUNCATE|RENAME|EXCHANGE)\\s+"
                  + "(TABLE|DATABASE|VIEW|MATERIALIZED|DICTIONARY|TABLES)\\b"),
          Pattern.compile("\\bOPTIMIZE\\s+TABLE\\b"),
          Pattern.compile("\\bSYSTEM\\s+(FLUSH|RELOAD|STOP|START|SYNC|DROP)\\b"),
          Pattern.compile("\\bFORMAT\\s+\\w+"),
          Pattern.compile("\\b(JSONEachRow|TabSeparated|RowBinary)\\b"));

  @Test
  void noModuleButStorageHoldsSqlInItsMainCode() throws IOException {
    Path root = root();
    List<String> found = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.sorted().toList()) {
        Path main = module.resolve("src/main/java");
        if (module.getFileName().toString().equals("storage") || !Files.isDirectory(main)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(main)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
            for (String hit : sql(Files.readString(f))) {
              found.add(root.relativize(f) + ": " + hit);
            }
          }
        }
      }
    }
    assertThat(found)
        .as(
            "SQL outside storage: give storage a method (a repository such as AlertHistory or"
                + " PostureHistory) that runs it and returns typed records, and call that instead")
        .isEmpty();
  }

  @Test
  void theScanFindsSqlSplitAcrossLiteralsAndIgnoresCommentsAndProse() {
    assertThat(
            sql(
                """
                class A {
                  String q(String db) {
                    return "SELECT rule, alert_key"
                        + " FROM "
                        + db
                        + ".alerts";
                  }
                }
                """))
        .hasSize(1);
    assertThat(sql("class B { void f(C ch) { ch.execute(\"INSERT INTO t VALUES (1)\"); } }"))
        .hasSize(1);
    assertThat(sql("class C { byte[] f(D ch) { return ch.query(x, \"JSONEachRow\"); } }"))
        .hasSize(1);
    assertThat(sql("class D { String s = \"\"\"\n  ALTER TABLE t DELETE WHERE 1\n  \"\"\"; }"))
        .hasSize(1);
    assertThat(
            sql(
                """
                /** Runs SELECT 1 FROM the store, as in "SELECT x FROM y". */
                class E {
                  // INSERT INTO t: in a comment
                  char quote = '"';
                  String s = "select the domain from the list";
                  String t = "he said \\"SELECT\\" and left";
                  char other = '\\'';
                }
                """))
        .isEmpty();
  }

  /** The SQL found in the string literals of one source file, each as "line N: text". */
  static List<String> sql(String source) {
    List<Literal> literals = literals(source);
    StringBuilder joined = new StringBuilder();
    List<Integer> starts = new ArrayList<>();
    for (Literal l : literals) {
      starts.add(joined.length());
      joined.append(l.text()).append(' ');
    }
    List<String> hits = new ArrayList<>();
    for (Pattern p : SQL) {
      Matcher m = p.matcher(joined);
      while (m.find()) {
        int i = 0;
        while (i + 1 < starts.size() && starts.get(i + 1) <= m.start()) {
          i++;
        }
        hits.add("line " + literals.get(i).line() + ": " + m.group().replaceAll("\\s+", " "));
      }
    }
    return hits;
  }

  record Literal(int line, String text) {}

  /**
   * The string literals and text blocks of a Java source, in order, with the line each begins on;
   * comments and character literals are skipped, escapes are left as written.
   */
  static List<Literal> literals(String s) {
    List<Literal> out = new ArrayList<>();
    int line = 1;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (s.startsWith("//", i)) {
        i = s.indexOf('\n', i) < 0 ? s.length() : s.indexOf('\n', i);
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
        line += count(s, i, end);
        i = end;
      } else if (c == '\'') {
        i = skipQuoted(s, i, '\'');
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        end = end < 0 ? s.length() : end;
        out.add(new Literal(line, s.substring(i + 3, end)));
        line += count(s, i, end);
        i = Math.min(s.length(), end + 3);
      } else if (c == '"') {
        int end = skipQuoted(s, i, '"');
        out.add(new Literal(line, s.substring(i + 1, Math.max(i + 1, end - 1))));
        i = end;
      } else {
        i++;
      }
    }
    return out;
  }

  /** The index after the quoted literal opening at {@code start}, past escaped quotes. */
  private static int skipQuoted(String s, int start, char quote) {
    int i = start + 1;
    while (i < s.length() && s.charAt(i) != quote && s.charAt(i) != '\n') {
      i += s.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(s.length(), i + 1);
  }

  private static int count(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += s.charAt(i) == '\n' ? 1 : 0;
    }
    return n;
  }

  /** The checkout: the first directory up from here that holds the Maven wrapper. */
  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new UncheckedIOException(
          new IOException("no mvnw above " + Path.of("").toAbsolutePath()));
    }
    return p;
  }
}

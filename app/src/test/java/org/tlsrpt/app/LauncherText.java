package org.tlsrpt.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Readings of shell command lines: the {@code ./tlsrpt} launcher's and the Dockerfile's. */
final class LauncherText {
  private LauncherText() {}

  /** The jar the launcher runs, relative to the checkout ({@code JAR="$ROOT/…"}). */
  static String jar(String launcher) {
    Matcher m = Pattern.compile("(?m)^JAR=\"\\$ROOT/([^\"]+)\"").matcher(launcher);
    assertThat(m.find()).as("the launcher sets JAR=\"$ROOT/...\"").isTrue();
    return m.group(1);
  }

  /** The line of the launcher that starts the JVM. */
  static String javaLine(String launcher) {
    return launcher
        .lines()
        .filter(l -> l.strip().startsWith("exec ") && l.contains("bin/java"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the launcher has no 'exec .../bin/java' line"));
  }

  /**
   * The Maven arguments after the first {@code ./mvnw}, up to a redirection or the command's end.
   */
  static List<String> mavenArguments(String text, String where) {
    int at = text.indexOf("./mvnw ");
    assertThat(at).as("%s runs ./mvnw", where).isNotNegative();
    List<String> args = new ArrayList<>();
    for (String word : text.substring(at + "./mvnw ".length()).split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      if (word.startsWith(">")
          || word.startsWith("&&")
          || word.startsWith("|")
          || word.startsWith(")")
          || word.equals(";")) {
        break;
      }
      args.add(word.replaceAll("[);]+$", ""));
    }
    return args;
  }

  /** The arguments less {@code -q}: quiet only changes how much a build prints. */
  static List<String> withoutQuiet(List<String> args) {
    return args.stream().filter(a -> !a.equals("-q") && !a.equals("--quiet")).toList();
  }

  /** The JVM options of a java command line: the words between java and -jar. */
  record JvmOptions(List<String> flags, boolean passesJavaOpts) {}

  /** Reads the words between java and -jar; TLSRPT_JAVA_OPTS among them is noted, not listed. */
  static JvmOptions jvmOptions(String commandLine) {
    List<String> words = Arrays.asList(commandLine.strip().split("\\s+"));
    int java = -1;
    for (int i = 0; i < words.size() && java < 0; i++) {
      String w = words.get(i).replace("\"", "");
      if (w.equals("java") || w.endsWith("/bin/java")) {
        java = i;
      }
    }
    assertThat(java).as("'%s' runs java", commandLine).isNotNegative();
    List<String> flags = new ArrayList<>();
    boolean opts = false;
    for (String w : words.subList(java + 1, words.size())) {
      if (w.equals("-jar")) {
        break;
      }
      if (w.contains("TLSRPT_JAVA_OPTS")) {
        opts = true;
      } else {
        flags.add(w);
      }
    }
    return new JvmOptions(List.copyOf(flags), opts);
  }
}

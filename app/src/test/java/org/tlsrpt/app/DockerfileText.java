package org.tlsrpt.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The instructions of a Dockerfile, enough to check it against the launcher: continuation lines
 * joined, comments dropped, each instruction with the build stage it belongs to.
 */
record DockerfileText(List<DockerfileText.Instruction> instructions) {

  /** One instruction: {@code keyword} upper-cased, {@code stage} the alias or index of its FROM. */
  record Instruction(String keyword, String arguments, String stage, int line) {}

  static DockerfileText parse(String text) {
    List<Instruction> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    String stage = "";
    int stages = 0;
    StringBuilder logical = new StringBuilder();
    int start = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (logical.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (!logical.isEmpty() && line.startsWith("#")) {
        continue; // a comment inside a continued instruction
      }
      if (logical.isEmpty()) {
        start = i + 1;
      }
      if (line.endsWith("\\")) {
        logical.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      logical.append(line);
      String instruction = logical.toString().strip();
      logical.setLength(0);
      int space = instruction.indexOf(' ');
      String keyword =
          (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase(Locale.ROOT);
      String args = space < 0 ? "" : instruction.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] words = args.split("\\s+");
        stage =
            words.length >= 3 && words[words.length - 2].equalsIgnoreCase("AS")
                ? words[words.length - 1]
                : Integer.toString(stages);
        stages++;
      }
      out.add(new Instruction(keyword, args, stage, start));
    }
    return new DockerfileText(List.copyOf(out));
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The last instruction of that kind, as Docker applies it (ENTRYPOINT, CMD, HEALTHCHECK). */
  Optional<Instruction> last(String keyword) {
    List<Instruction> found = all(keyword);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
  }

  /** The stage of the last FROM: the one that becomes the image. */
  String finalStage() {
    return last("FROM").orElseThrow(() -> new AssertionError("the Dockerfile has no FROM")).stage();
  }

  /** The WORKDIR in force in a stage before a line ("/" when none was set). */
  String workdir(String stage, int beforeLine) {
    String dir = "/";
    for (Instruction i : all("WORKDIR")) {
      if (i.stage().equals(stage) && i.line() < beforeLine) {
        dir = i.arguments();
      }
    }
    return dir;
  }

  /** The COPY of the final stage that takes a jar from another stage. */
  Instruction jarCopy() {
    return all("COPY").stream()
        .filter(i -> i.stage().equals(finalStage()))
        .filter(i -> i.arguments().contains("--from=") && i.arguments().contains(".jar"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the final stage copies no jar from a build stage"));
  }

  /** The words of an instruction in exec (JSON array) form, such as ENTRYPOINT. */
  static List<String> execForm(Instruction instruction) {
    try {
      List<String> out = new ArrayList<>();
      new ObjectMapper().readTree(instruction.arguments()).forEach(n -> out.add(n.asText()));
      return out;
    } catch (IOException e) {
      throw new AssertionError(
          instruction.keyword() + " is not in exec (JSON array) form: " + instruction.arguments(),
          e);
    }
  }
}

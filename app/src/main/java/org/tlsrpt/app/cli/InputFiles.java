package org.tlsrpt.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Turns the paths given to {@code tlsrpt import} into inputs: files, directories (recursively),
 * mbox files (split at "From " lines, ">From " unescaped) and Maildir folders (their cur and new
 * messages; tmp is skipped).
 */
final class InputFiles {
  private InputFiles() {}

  /** One input and where it came from, for messages. */
  record Input(String name, byte[] bytes) {}

  /** The files below the paths, in name order (Maildir tmp folders left out). */
  static List<Path> files(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(
                  f ->
                      !(f.getParent() != null
                          && f.getParent().getFileName().toString().equals("tmp")
                          && Files.isDirectory(f.getParent().resolveSibling("cur"))))
              .sorted()
              .forEach(out::add);
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new IOException(p + ": no such file or directory");
      }
    }
    return out;
  }

  /** Reads a file; an mbox yields one input per message. */
  static void read(Path file, Consumer<Input> sink) throws IOException {
    byte[] b = Files.readAllBytes(file);
    if (!isMbox(b)) {
      sink.accept(new Input(file.toString(), b));
      return;
    }
    int n = 0;
    int start = -1;
    int pos = 0;
    while (pos <= b.length) {
      boolean atFrom = pos == 0 || (pos < b.length && b[pos - 1] == '\n');
      if (pos < b.length && atFrom && startsWith(b, pos, "From ")) {
        if (start >= 0) {
          sink.accept(new Input(file + "#" + (++n), unescape(b, start, trimEnd(b, start, pos))));
        }
        int nl = indexOf(b, pos, (byte) '\n');
        start = nl < 0 ? b.length : nl + 1;
        pos = start;
        continue;
      }
      if (pos == b.length) {
        break;
      }
      int nl = indexOf(b, pos, (byte) '\n');
      pos = nl < 0 ? b.length : nl + 1;
    }
    if (start >= 0 && start < b.length) {
      sink.accept(new Input(file + "#" + (++n), unescape(b, start, trimEnd(b, start, b.length))));
    }
  }

  static boolean isMbox(byte[] b) {
    return startsWith(b, 0, "From ");
  }

  private static int trimEnd(byte[] b, int start, int end) {
    // the blank line before the next "From " belongs to the mbox format, not the message
    if (end - 1 >= start && b[end - 1] == '\n') {
      end--;
      if (end - 1 >= start && b[end - 1] == '\r') {
        end--;
      }
    }
    return end;
  }

  /** Undoes mboxrd quoting: ">From " (and ">>From "...) at a line start loses one '>'. */
  private static byte[] unescape(byte[] b, int from, int to) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(to - from);
    int pos = from;
    while (pos < to) {
      int nl = indexOf(b, pos, (byte) '\n');
      int end = nl < 0 || nl >= to ? to : nl + 1;
      int q = pos;
      while (q < end && b[q] == '>') {
        q++;
      }
      if (q > pos && startsWith(b, q, "From ")) {
        out.write(b, pos + 1, end - pos - 1);
      } else {
        out.write(b, pos, end - pos);
      }
      pos = end;
    }
    return out.toByteArray();
  }

  private static boolean startsWith(byte[] b, int at, String s) {
    byte[] p = s.getBytes(StandardCharsets.US_ASCII);
    if (b.length - at < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (b[at + i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] b, int from, byte c) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}

package org.tlsrpt.app.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.tlsrpt.app.config.ParserSettings;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ReportParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tlsrpt parse}: reads inputs and prints what the parser makes of them, as JSON Lines. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
      "Parse TLS reports and print one JSON line per report found, or one per rejected input.",
      "An input may be an e-mail message (.eml), a JSON report, a .json.gz or a .zip; the kind is"
          + " found from the content. Directories are read recursively.",
      "Exit status: 0 when every input was accepted, 1 when any was rejected, 2 on a usage error.",
      "The output format is described in docs/cli.md."
    })
final class ParseCommand implements Callable<Integer> {

  @CommandLine.ParentCommand TlsrptCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--pretty",
      description = "Indent the JSON (each object then spans several lines).")
  boolean pretty;

  @Option(
      names = "--content-type",
      paramLabel = "TYPE",
      description =
          "Read each input as an HTTPS POST body with this Content-Type"
              + " (e.g. application/tlsrpt+gzip), as the HTTPS receiver does.")
  String contentType;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Files or directories to parse; '-' reads standard input.")
  List<String> inputs;

  @Override
  public Integer call() {
    ReportParser parser = ParserSettings.from(parent.settings()).parser();
    var err = spec.commandLine().getErr();
    if (inputs.stream().filter("-"::equals).count() > 1) {
      err.println("tlsrpt parse: '-' (standard input) can be given only once");
      return CommandLine.ExitCode.USAGE;
    }
    List<String> sources = new ArrayList<>();
    boolean unreadable = false;
    for (String input : inputs) {
      if (input.equals("-")) {
        sources.add(input);
        continue;
      }
      Path p = Path.of(input);
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).sorted().forEach(f -> sources.add(f.toString()));
        } catch (IOException | java.io.UncheckedIOException e) {
          err.println("tlsrpt parse: cannot read the directory " + input + ": " + e.getMessage());
          unreadable = true;
        }
      } else if (Files.isRegularFile(p)) {
        sources.add(input);
      } else {
        err.println("tlsrpt parse: " + input + ": no such file or directory");
        unreadable = true;
      }
    }
    boolean anyRejected = false;
    OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
    try (ParseResultWriter writer = new ParseResultWriter(out, pretty)) {
      for (String source : sources) {
        byte[] raw;
        try {
          raw = read(source, parser.limits().maxInputBytes());
        } catch (IOException e) {
          err.println("tlsrpt parse: cannot read " + source + ": " + e.getMessage());
          unreadable = true;
          continue;
        }
        try {
          ParseOutcome outcome = Envelope.file(raw, contentType).parse(parser);
          anyRejected |= outcome instanceof ParseOutcome.Rejected;
          writer.write(source, outcome);
        } catch (RuntimeException e) {
          // a parser bug: keep going with the other inputs, and say so
          anyRejected = true;
          writer.failed(
              source,
              "internal_error",
              "the parser failed on this input (" + e + "); please report it with the input");
        }
      }
    }
    if (unreadable) {
      return CommandLine.ExitCode.USAGE;
    }
    return anyRejected ? 1 : 0;
  }

  /**
   * Reads at most one byte more than the parser accepts: enough for it to say the input is too
   * large without holding all of a huge file in memory.
   */
  private static byte[] read(String source, int limit) throws IOException {
    try (InputStream in = source.equals("-") ? System.in : Files.newInputStream(Path.of(source))) {
      return in.readNBytes(limit + 1);
    }
  }
}

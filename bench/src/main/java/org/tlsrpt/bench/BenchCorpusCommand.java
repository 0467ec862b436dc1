package org.tlsrpt.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.tlsrpt.testkit.SampleReport;
import org.tlsrpt.testkit.SyntheticCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tlsrpt bench corpus}: writes a benchmark corpus built from the bundled real reports: each
 * report varied (report id, day, counts) and written three ways: as a JSON body, as {@code
 * .json.gz} and inside a report e-mail.
 */
@Command(
    name = "corpus",
    mixinStandardHelpOptions = true,
    description = {
      "Write a benchmark corpus built from the bundled real reports into DIR/json, DIR/gz and"
          + " DIR/eml: the same reports as JSON bodies, .json.gz files and report e-mails."
    })
public final class BenchCorpusCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(
      names = "--count",
      defaultValue = "1000",
      description = "Reports per kind (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--seed",
      defaultValue = "8460",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Parameters(paramLabel = "DIR", description = "Where to write the corpus.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    List<SampleReport> samples = CorpusSamples.all();
    Random random = new Random(seed);
    for (String sub : List.of("json", "gz", "eml")) {
      Files.createDirectories(dir.resolve(sub));
    }
    long emlBytes = 0;
    for (int i = 0; i < count; i++) {
      SyntheticCorpus.Report r = SyntheticCorpus.report(samples, random, i);
      byte[] json = r.json();
      byte[] gz = r.gz();
      byte[] eml = r.eml();
      String name = String.format("%06d", i);
      Files.write(dir.resolve("json").resolve(name + ".json"), json);
      Files.write(dir.resolve("gz").resolve(name + ".json.gz"), gz);
      Files.write(dir.resolve("eml").resolve(name + ".eml"), eml);
      emlBytes += eml.length;
    }
    System.out.printf(
        "wrote %d reports as JSON, .json.gz and e-mail under %s (e-mails average %.1f KB)%n",
        count, dir, emlBytes / 1024.0 / count);
    return 0;
  }
}

package org.tlsrpt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.tlsrpt.parser.ParseOutcome;
import org.tlsrpt.parser.ReportParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tlsrpt bench parse}: parses every file under DIR over and over (a warm-up, then timed
 * passes) and prints reports per second per kind of input, beside the bare library chain measured
 * in the same run. The last line is the single-threaded figure over all files: {@code parse: N
 * reports/s}.
 */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
      "Measure parsing speed over every file under DIR (build one with 'tlsrpt bench corpus DIR').",
      "Prints reports/s per kind (JSON body, .json.gz, e-mail) for tlsrpt and for the bare library"
          + " chain (Jakarta Mail + gunzip + Jackson tree, no validation), then the single-threaded"
          + " overall figure as 'parse: N reports/s'."
    })
public final class BenchParseCommand implements Callable<Integer> {

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "Parser threads for the per-kind figures (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description = "Warm-up seconds per measurement (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description = "Timed seconds per measurement (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description =
          "Measurements of each per-kind figure (tlsrpt and the bare chain alternating) and of"
              + " the overall figure; the best of each is printed, to damp the noise of a shared"
              + " machine (default: ${DEFAULT-VALUE}). The single-thread figure printed beside a"
              + " --threads run is measured once.")
  int rounds;

  @Option(names = "--no-baseline", description = "Skip the bare library chain measurements.")
  boolean noBaseline;

  @Parameters(paramLabel = "DIR", description = "Directory of inputs (searched recursively).")
  Path dir;

  /** Something measured: it reads one input and says how many reports it found. */
  @FunctionalInterface
  interface Reader {
    int read(byte[] input) throws Exception;
  }

  @Override
  public Integer call() throws Exception {
    // Without this, jakarta.mail-api scans the class path for every message (mail-api issues 699,
    // 861).
    System.setProperty(
        "jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
    ReportParser parser = new ReportParser();
    Map<String, List<byte[]>> byKind = load(parser);
    if (byKind.values().stream().allMatch(List::isEmpty)) {
      System.err.println("tlsrpt bench parse: no parseable files under " + dir);
      return 2;
    }
    Reader ours =
        input ->
            switch (parser.parse(input)) {
              case ParseOutcome.Parsed p -> p.reports().size();
              case ParseOutcome.Rejected r ->
                  throw new IllegalStateException("rejected: " + r.detail());
            };
    System.out.printf(
        "%-8s %7s %8s %18s %20s %7s%n",
        "kind", "files", "threads", "tlsrpt reports/s", "bare chain reports/s", "ratio");
    List<byte[]> all = new ArrayList<>();
    for (var e : byKind.entrySet()) {
      List<byte[]> files = e.getValue();
      if (files.isEmpty()) {
        continue;
      }
      all.addAll(files);
      // --rounds measurements of each, alternating, the best of each kept
      double mine = 0;
      double bare = noBaseline ? Double.NaN : 0;
      for (int r = 0; r < rounds; r++) {
        mine = Math.max(mine, measure(e.getKey() + " tlsrpt", files, ours, threads));
        if (!noBaseline) {
          bare =
              Math.max(bare, measure(e.getKey() + " bare chain", files, BareLibraryChain::read, 1));
        }
      }
      System.out.printf(
          "%-8s %7d %8d %18.0f %20s %7s%n",
          e.getKey(),
          files.size(),
          threads,
          mine,
          noBaseline ? "-" : String.format("%.0f", bare),
          noBaseline ? "-" : String.format("%.2f", threads == 1 ? mine / bare : Double.NaN));
      if (threads != 1) {
        double single = measure(e.getKey() + " tlsrpt 1 thread", files, ours, 1);
        System.out.printf(
            "%-8s %7d %8d %18.0f %20s %7s%n",
            e.getKey(),
            files.size(),
            1,
            single,
            noBaseline ? "-" : String.format("%.0f", bare),
            noBaseline ? "-" : String.format("%.2f", single / bare));
      }
    }
    double overall = 0;
    for (int r = 0; r < rounds; r++) {
      overall = Math.max(overall, measure("all files tlsrpt", all, ours, 1));
    }
    System.out.printf("parse: %.0f reports/s%n", overall);
    return 0;
  }

  private Map<String, List<byte[]>> load(ReportParser parser) throws IOException {
    Map<String, List<byte[]>> byKind = new LinkedHashMap<>();
    byKind.put("json", new ArrayList<>());
    byKind.put("json.gz", new ArrayList<>());
    byKind.put("zip", new ArrayList<>());
    byKind.put("e-mail", new ArrayList<>());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    int skipped = 0;
    for (Path f : files) {
      byte[] b = Files.readAllBytes(f);
      if (b.length == 0 || parser.parse(b) instanceof ParseOutcome.Rejected) {
        skipped++;
        continue;
      }
      byKind.get(kind(b)).add(b);
    }
    System.err.printf(
        "loaded %d files from %s (%d not parseable, left out)%n",
        files.size() - skipped, dir, skipped);
    return byKind;
  }

  private static String kind(byte[] b) {
    int i = 0;
    while (i < b.length && Character.isWhitespace(b[i])) {
      i++;
    }
    if (b[i] == '{') {
      return "json";
    }
    if ((b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      return "json.gz";
    }
    if (b[0] == 'P' && b[1] == 'K') {
      return "zip";
    }
    return "e-mail";
  }

  /** Runs the reader over the files for the warm-up, then the timed period; returns reports/s. */
  private double measure(String label, List<byte[]> files, Reader reader, int threadCount)
      throws Exception {
    System.err.printf(
        "  measuring %s (%d thread%s)...%n", label, threadCount, threadCount == 1 ? "" : "s");
    run(files, reader, threadCount, warmupSeconds);
    return run(files, reader, threadCount, seconds);
  }

  private static double run(List<byte[]> files, Reader reader, int threadCount, double seconds)
      throws Exception {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    ExecutorService pool = Executors.newFixedThreadPool(threadCount);
    try {
      List<Future<long[]>> results = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threadCount; t++) {
        int offset = t * files.size() / threadCount;
        results.add(
            pool.submit(
                () -> {
                  long reports = 0;
                  int i = offset;
                  while (System.nanoTime() < deadline) {
                    for (int k = 0; k < 64; k++) {
                      reports += reader.read(files.get(i));
                      i = (i + 1) % files.size();
                    }
                  }
                  return new long[] {reports, System.nanoTime()};
                }));
      }
      long total = 0;
      long last = start;
      for (Future<long[]> f : results) {
        long[] r = f.get();
        total += r[0];
        last = Math.max(last, r[1]);
      }
      return total / ((last - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }
}

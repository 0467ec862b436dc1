package org.tlsrpt.bench;

import picocli.CommandLine.Command;

/** {@code tlsrpt bench}: benchmarks that print the figures the issues ask for. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks. Each prints its figures; none is part of the test suite.",
      "Start with 'tlsrpt bench corpus DIR' to build a corpus, then 'tlsrpt bench parse DIR'."
    },
    subcommands = {
      BenchParseCommand.class,
      BenchCorpusCommand.class,
      BenchImportCommand.class,
      BenchSummaryCommand.class,
      BenchServeCommand.class,
      BenchKafkaCommand.class,
      BenchKafkaWorkerCommand.class
    })
public final class BenchCommand {}

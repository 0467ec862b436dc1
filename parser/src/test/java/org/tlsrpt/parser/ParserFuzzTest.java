package org.tlsrpt.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * No byte sequence makes the parser throw: whatever comes in, the answer is Parsed or Rejected. The
 * parser has no catch-all, so an escaping exception here is a real bug. Inputs are random bytes and
 * mutations (flips, cuts, splices) of real samples in each wrapping, since purely random bytes
 * rarely get past the first check.
 */
class ParserFuzzTest {
  private static final List<byte[]> SEEDS = seeds();
  private final ReportParser parser = new ReportParser();

  private static List<byte[]> seeds() {
    byte[] json = Samples.read("phi-ag__rfc-errata-6241.json");
    return List.of(
        json,
        Samples.read("cry-inc__microsoft.json"),
        Inputs.gzip(json),
        Inputs.zip("r.json", json),
        Inputs.gzipAttachmentMail(json),
        Inputs.forwarded(Inputs.gzipAttachmentMail(json)),
        Samples.read("stalwart__rpt02_uncompressed_application-tlsrpt.eml"),
        Samples.read("isseis__tlsrpt_failure.eml"));
  }

  @Property(tries = 3000)
  void randomBytesNeverMakeTheParserThrow(@ForAll @Size(max = 2048) byte[] input) {
    assertAnswers(input);
  }

  @Property(tries = 5000)
  void mutatedSamplesNeverMakeTheParserThrow(@ForAll("mutatedSamples") byte[] input) {
    assertAnswers(input);
  }

  @Property(tries = 1000)
  void mutatedJsonInsideGzipAndMailNeverMakesTheParserThrow(@ForAll("mutatedJson") byte[] json) {
    assertAnswers(Inputs.gzip(json));
    assertAnswers(Inputs.gzipAttachmentMail(json));
  }

  private void assertAnswers(byte[] input) {
    ParseOutcome outcome = parser.parse(input);
    assertThat(outcome).isNotNull();
    if (outcome instanceof ParseOutcome.Rejected r) {
      assertThat(r.detail()).isNotBlank();
    } else {
      assertThat(((ParseOutcome.Parsed) outcome).reports()).isNotEmpty();
    }
    assertThat(parser.parseHttpBody(input, "application/tlsrpt+gzip")).isNotNull();
  }

  @Provide
  Arbitrary<byte[]> mutatedSamples() {
    return mutate(Arbitraries.of(SEEDS));
  }

  @Provide
  Arbitrary<byte[]> mutatedJson() {
    return mutate(Arbitraries.of(SEEDS.get(0), SEEDS.get(1)));
  }

  private static Arbitrary<byte[]> mutate(Arbitrary<byte[]> seeds) {
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 4);
    Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
    Arbitrary<Byte> value = Arbitraries.bytes();
    Arbitrary<Integer> count = Arbitraries.integers().between(1, 16);
    return Combinators.combine(seeds, kind, where, value, count)
        .as(
            (seed, k, w, v, n) -> {
              byte[] b = seed.clone();
              int at = (int) (w * (b.length - 1));
              switch (k) {
                case 0 -> { // flip bytes
                  for (int i = 0; i < n && at + i * 7 < b.length; i++) {
                    b[at + i * 7] ^= (byte) (v | 1);
                  }
                  return b;
                }
                case 1 -> { // truncate
                  return java.util.Arrays.copyOf(b, at);
                }
                case 2 -> { // delete a run
                  int end = Math.min(b.length, at + n * 13);
                  byte[] out = new byte[b.length - (end - at)];
                  System.arraycopy(b, 0, out, 0, at);
                  System.arraycopy(b, end, out, at, b.length - end);
                  return out;
                }
                case 3 -> { // duplicate a run (splice)
                  int end = Math.min(b.length, at + n * 11);
                  byte[] out = new byte[b.length + (end - at)];
                  System.arraycopy(b, 0, out, 0, end);
                  System.arraycopy(b, at, out, end, b.length - at);
                  return out;
                }
                default -> { // insert structural characters
                  byte[] chars =
                      "{}[]\":,\\\r\n-=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                  for (int i = 0; i < n && at + i * 5 < b.length; i++) {
                    b[at + i * 5] = chars[(v & 0xff) % chars.length];
                  }
                  return b;
                }
              }
            });
  }
}

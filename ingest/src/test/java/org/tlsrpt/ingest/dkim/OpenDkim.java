package org.tlsrpt.ingest.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The independent signer: OpenDKIM 2.11 from Debian (packages opendkim and opendkim-tools,
 * installed by .ci/run). Keys come from {@code opendkim-genkey}; messages are signed by {@code
 * opendkim} in test mode ({@code -t}), which prints the DKIM-Signature it would add. The filter is
 * used rather than {@code opendkim-testmsg}, which always signs with rsa-sha1 and garbles the end
 * of b= unless asked for CRLF output.
 */
final class OpenDkim {
  static final String OPENDKIM = "/usr/sbin/opendkim";
  static final String GENKEY = "/usr/sbin/opendkim-genkey";

  /** The header fields signed: RFC 8460 §5.3 asks for the two TLS-Report ones to be covered. */
  static final String SIGNED_HEADERS =
      "From,To,Subject,Date,Message-ID,MIME-Version,Content-Type,TLS-Report-Domain,"
          + "TLS-Report-Submitter";

  private final Path dir;
  private int runs;

  OpenDkim(Path dir) {
    for (String tool : List.of(OPENDKIM, GENKEY)) {
      if (!Files.isExecutable(Path.of(tool))) {
        throw new IllegalStateException(
            tool + " is missing: install opendkim and opendkim-tools (.ci/run does)");
      }
    }
    this.dir = dir;
  }

  /**
   * A private key and its DNS record.
   *
   * @param txt the key record's strings, as opendkim-genkey splits them
   */
  record Key(Path privateKey, List<String> txt) {}

  /** How to sign; {@link #DEFAULT} is what a reporter typically does. */
  record Options(String canonicalization, String algorithm, boolean bodyLength, Long timestamp) {
    static final Options DEFAULT = new Options("relaxed/relaxed", "rsa-sha256", false, null);

    Options canonicalization(String c) {
      return new Options(c, algorithm, bodyLength, timestamp);
    }

    Options algorithm(String a) {
      return new Options(canonicalization, a, bodyLength, timestamp);
    }

    Options withBodyLength() {
      return new Options(canonicalization, algorithm, true, timestamp);
    }

    Options timestamp(long unixSeconds) {
      return new Options(canonicalization, algorithm, bodyLength, unixSeconds);
    }
  }

  Key generateKey(String name, int bits) throws IOException, InterruptedException {
    Path keyDir = Files.createDirectories(dir.resolve("key-" + name));
    run(
        List.of(GENKEY, "--bits=" + bits, "--directory=" + keyDir, "--selector=" + name),
        keyDir.resolve("genkey.out"));
    String zone = Files.readString(keyDir.resolve(name + ".txt"));
    List<String> strings = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(zone);
    while (m.find()) {
      strings.add(m.group(1));
    }
    return new Key(keyDir.resolve(name + ".private"), strings);
  }

  /** The message with a DKIM-Signature by d={@code domain} s={@code selector} prepended. */
  byte[] sign(byte[] message, Key key, String domain, String selector, Options options)
      throws IOException, InterruptedException {
    Path work = Files.createDirectories(dir.resolve("sign-" + ++runs));
    Files.writeString(
        work.resolve("keytable"), "k " + domain + ":" + selector + ":" + key.privateKey() + "\n");
    Files.writeString(work.resolve("signingtable"), "* k\n");
    Files.writeString(work.resolve("bodylength"), "*\n");
    Files.writeString(
        work.resolve("opendkim.conf"),
        String.join(
            "\n",
            "Mode s",
            "Syslog no",
            "RequireSafeKeys no",
            "KeyTable file:" + work.resolve("keytable"),
            "SigningTable refile:" + work.resolve("signingtable"),
            "Canonicalization " + options.canonicalization(),
            "SignatureAlgorithm " + options.algorithm(),
            "SignHeaders " + SIGNED_HEADERS,
            options.bodyLength() ? "BodyLengthDB refile:" + work.resolve("bodylength") : "",
            ""));
    Path in = work.resolve("message.eml");
    Files.write(in, message);
    List<String> command = new ArrayList<>(List.of(OPENDKIM, "-x", work + "/opendkim.conf"));
    if (options.timestamp() != null) {
      command.addAll(List.of("-F", options.timestamp().toString()));
    }
    command.addAll(List.of("-t", in.toString()));
    String out = run(command, work.resolve("opendkim.out"));
    int start = out.indexOf("DKIM-Signature:");
    if (start < 0) {
      throw new IllegalStateException("opendkim printed no DKIM-Signature:\n" + out);
    }
    // the header as opendkim folds it, with CRLF line ends as on the wire
    String header =
        out.substring(start).strip().replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n";
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    signed.writeBytes(message);
    return signed.toByteArray();
  }

  private static String run(List<String> command, Path output)
      throws IOException, InterruptedException {
    Path errors = output.resolveSibling(output.getFileName() + ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command.getFirst() + " did not finish in 60 s");
    }
    String out = Files.readString(output, StandardCharsets.ISO_8859_1);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " exited with "
              + p.exitValue()
              + ":\n"
              + out
              + Files.readString(errors, StandardCharsets.ISO_8859_1));
    }
    return out;
  }
}

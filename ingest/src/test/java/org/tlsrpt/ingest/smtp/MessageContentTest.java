package org.tlsrpt.ingest.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DATA content: dot-stuffing undone and the end found, with nothing read past it. */
class MessageContentTest {
  private static String[] read(String wire) throws IOException {
    InputStream in = new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8));
    String content = new String(new MessageContent(in).readAllBytes(), StandardCharsets.UTF_8);
    return new String[] {content, new String(in.readAllBytes(), StandardCharsets.UTF_8)};
  }

  @Test
  void endsAtTheDotLineAndLeavesWhatFollowsForTheSession() throws IOException {
    assertThat(read("Subject: a\r\n\r\nbody\r\n.\r\nQUIT\r\n"))
        .containsExactly("Subject: a\r\n\r\nbody\r\n", "QUIT\r\n");
  }

  @Test
  void removesTheDotASenderAddedToALineStartingWithOne() throws IOException {
    assertThat(read("..first\r\nx\r\n...\r\n.a.\r\n.\r\n"))
        .containsExactly(".first\r\nx\r\n..\r\na.\r\n", "");
  }

  @Test
  void takesAnEmptyMessage() throws IOException {
    assertThat(read(".\r\nNOOP\r\n")).containsExactly("", "NOOP\r\n");
  }

  @Test
  void keepsDotsThatDoNotStartALine() throws IOException {
    assertThat(read("a.\r\nb\r.\r\n.\r\n")).containsExactly("a.\r\nb\r.\r\n", "");
  }

  @Test
  void readsTheSameWhateverPiecesTheInputArrivesIn() throws IOException {
    Random random = new Random(8460);
    for (int round = 0; round < 500; round++) {
      StringBuilder content = new StringBuilder();
      StringBuilder wire = new StringBuilder();
      for (int l = random.nextInt(12); l > 0; l--) {
        StringBuilder line = new StringBuilder();
        for (int c = random.nextInt(5); c > 0; c--) {
          line.append(".a\r".charAt(random.nextInt(3)));
        }
        content.append(line).append("\r\n");
        wire.append(line.toString().startsWith(".") ? "." : "").append(line).append("\r\n");
      }
      wire.append(".\r\nNEXT\r\n");
      InputStream in = new BufferedInputStream(new Trickle(wire.toString(), random), 16);
      MessageContent m = new MessageContent(in);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[10];
      int n;
      while ((n = m.read(buf, 0, 1 + random.nextInt(buf.length))) >= 0) {
        out.write(buf, 0, n);
      }
      assertThat(out.toString(StandardCharsets.UTF_8))
          .as(wire.toString())
          .isEqualTo(content.toString());
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("NEXT\r\n");
    }
  }

  /** Gives its bytes a few at a time, as a network does. */
  private static final class Trickle extends InputStream {
    private final byte[] bytes;
    private final Random random;
    private int pos;

    Trickle(String s, Random random) {
      this.bytes = s.getBytes(StandardCharsets.UTF_8);
      this.random = random;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(4)), bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return random.nextBoolean() ? 0 : Math.min(2, bytes.length - pos);
    }
  }

  @Test
  void failsWhenTheConnectionEndsBeforeTheDotLine() {
    assertThatThrownBy(() -> read("Subject: cut\r\n"))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("before the end of the message");
  }
}

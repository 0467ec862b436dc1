package org.tlsrpt.ingest.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
  void failsWhenTheConnectionEndsBeforeTheDotLine() {
    assertThatThrownBy(() -> read("Subject: cut\r\n"))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("before the end of the message");
  }
}

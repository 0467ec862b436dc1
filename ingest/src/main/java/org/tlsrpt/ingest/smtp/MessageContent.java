package org.tlsrpt.ingest.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The content after {@code DATA} (RFC 5321 §4.1.1.4, §4.5.2): ends at a line holding a single dot,
 * which is not part of it, and a leading dot of any other line is removed (the sender added it).
 * Reads nothing past the terminating {@code CRLF.CRLF}, so commands pipelined after it stay for the
 * session to read.
 */
final class MessageContent extends InputStream {
  private static final int NONE = -2;

  private final InputStream in;
  // the two bytes before the next one; the content starts as if after a CRLF
  private int beforePrevious = '\r';
  private int previous = '\n';
  private int pushedBack = NONE;
  private boolean ended;

  MessageContent(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    if (ended) {
      return -1;
    }
    int b = next();
    if (b == '.' && beforePrevious == '\r' && previous == '\n') {
      b = next(); // the dot goes: stuffing, or the start of the terminator
      if (b == '\r') {
        int after = next();
        if (after == '\n') {
          ended = true;
          return -1;
        }
        pushedBack = after;
      }
    }
    beforePrevious = previous;
    previous = b;
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, buf.length);
    if (len == 0) {
      return 0;
    }
    int n = 0;
    // what is buffered already, without waiting for more
    while (n < len && (n == 0 || pushedBack != NONE || in.available() > 0)) {
      int b = read();
      if (b < 0) {
        break;
      }
      buf[off + n++] = (byte) b;
    }
    return n == 0 ? -1 : n;
  }

  private int next() throws IOException {
    if (pushedBack != NONE) {
      int b = pushedBack;
      pushedBack = NONE;
      return b;
    }
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the connection closed before the end of the message (CRLF.CRLF)");
    }
    return b;
  }
}

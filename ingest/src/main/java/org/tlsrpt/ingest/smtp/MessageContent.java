package org.tlsrpt.ingest.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The content after {@code DATA} (RFC 5321 §4.1.1.4, §4.5.2): ends at a line holding a single dot,
 * which is not part of it, and a leading dot of any other line is removed (the sender added it).
 * Reads nothing past the terminating {@code CRLF.CRLF}, so commands pipelined after it stay for the
 * session to read.
 *
 * <p>From a stream that supports {@code mark} (the session's buffered input), what is readable
 * without waiting is read in one go and only the bytes up to the end are kept consumed (reset and
 * skip); otherwise, and when too little is readable to tell a dot line, byte by byte.
 */
final class MessageContent extends InputStream {
  private static final int NONE = -2;
  private static final int MAX_CHUNK = 64 * 1024;

  private final InputStream in;
  // the two bytes before the next one; the content starts as if after a CRLF
  private int beforePrevious = '\r';
  private int previous = '\n';
  private int pushedBack = NONE;
  private boolean ended;
  private byte[] chunk = new byte[0];

  MessageContent(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    if (ended) {
      return -1;
    }
    int b = next();
    if (b == '.' && atLineStart()) {
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
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len == 0) {
      return 0;
    }
    if (ended) {
      return -1;
    }
    if (pushedBack == NONE && in.markSupported()) {
      int ready = Math.min(Math.min(len, MAX_CHUNK), in.available());
      if (ready >= 3) { // a dot and the two bytes that tell what it starts
        int n = readReady(buf, off, ready);
        if (n > 0 || ended) {
          return n > 0 ? n : -1;
        }
      }
    }
    int b = read();
    if (b < 0) {
      return -1;
    }
    buf[off] = (byte) b;
    return 1;
  }

  /** Copies up to {@code ready} bytes read ahead, and consumes only those used. */
  private int readReady(byte[] buf, int off, int ready) throws IOException {
    if (chunk.length < ready) {
      chunk = new byte[ready];
    }
    in.mark(ready);
    int got = in.read(chunk, 0, ready);
    int n = 0;
    int used = 0;
    int i = 0;
    while (i < got) {
      int b = chunk[i] & 0xff;
      if (b == '.' && atLineStart()) {
        if (i + 2 >= got) {
          break; // cannot tell yet: left for the next read
        }
        if (chunk[i + 1] == '\r' && chunk[i + 2] == '\n') {
          ended = true;
          used = i + 3;
          break;
        }
        b = chunk[++i] & 0xff; // a stuffing dot goes
      }
      buf[off + n++] = (byte) b;
      beforePrevious = previous;
      previous = b;
      used = ++i;
    }
    in.reset();
    for (long left = used; left > 0; ) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        throw new IOException("the input did not skip what it had returned");
      }
      left -= skipped;
    }
    return n;
  }

  private boolean atLineStart() {
    return beforePrevious == '\r' && previous == '\n';
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

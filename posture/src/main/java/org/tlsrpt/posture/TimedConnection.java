package org.tlsrpt.posture;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client connection with one deadline for the whole exchange: every read waits at most for the
 * time left, so a server that accepts and then trickles or says nothing cannot hold a check longer
 * than the timeout. Lines are ASCII, end in LF (a CR before it is dropped) and are bounded.
 */
final class TimedConnection implements AutoCloseable {
  static final int MAX_LINE = 8192;

  private final long deadline;
  private final Duration timeout;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  private TimedConnection(Socket socket, long deadline, Duration timeout) throws IOException {
    this.deadline = deadline;
    this.timeout = timeout;
    use(socket);
  }

  /** Connects within the timeout; the same timeout then bounds the whole exchange. */
  static TimedConnection open(InetAddress address, int port, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(address, port), (int) Math.max(1, timeout.toMillis()));
      return new TimedConnection(s, deadline, timeout);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  Socket socket() {
    return socket;
  }

  /** Continues over another socket layered on this one (after STARTTLS). */
  void use(Socket layered) throws IOException {
    socket = layered;
    in = new BufferedInputStream(layered.getInputStream());
    out = layered.getOutputStream();
    arm();
  }

  /** Sets the read timeout to the time left; throws when none is left. */
  void arm() throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw timedOut();
    }
    socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
  }

  SocketTimeoutException timedOut() {
    return new SocketTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
  }

  void write(String ascii) throws IOException {
    out.write(ascii.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** A line without its CRLF or LF; null at the end of the stream. */
  String readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      int c = read();
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
      }
      if (c == '\n') {
        byte[] bytes = b.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (b.size() >= MAX_LINE) {
        throw new IOException("a line longer than " + MAX_LINE + " bytes");
      }
      b.write(c);
    }
  }

  int read() throws IOException {
    arm();
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw timedOut();
    }
  }

  int read(byte[] buf, int off, int len) throws IOException {
    arm();
    try {
      return in.read(buf, off, len);
    } catch (SocketTimeoutException e) {
      throw timedOut();
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is best effort
    }
  }
}

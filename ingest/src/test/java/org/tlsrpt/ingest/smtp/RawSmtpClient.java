package org.tlsrpt.ingest.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP client that sends exactly the bytes it is given, in one write, and reads replies one at a
 * time: what a pipelining client does, with nothing in between to hide a wrong order.
 */
final class RawSmtpClient implements AutoCloseable {
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawSmtpClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends the text (lines end with CRLF) in one write. */
  RawSmtpClient send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  RawSmtpClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The next reply, all its lines joined by "\n"; null when the server closed the connection. */
  String reply() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = line();
      if (line == null) {
        return lines.isEmpty() ? null : String.join("\n", lines);
      }
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return String.join("\n", lines);
      }
    }
  }

  /** The next n replies. */
  List<String> replies(int n) throws IOException {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(reply());
    }
    return all;
  }

  /** Turns this connection into TLS (after the server's 220 to STARTTLS), trusting {@code tls}. */
  void startTls(SSLContext tls, String serverName) throws IOException {
    SSLSocket s =
        (SSLSocket) tls.getSocketFactory().createSocket(socket, serverName, socket.getPort(), true);
    SSLParameters p = s.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    p.setServerNames(List.of(new javax.net.ssl.SNIHostName(serverName)));
    s.setSSLParameters(p);
    s.startHandshake();
    socket = s;
    in = s.getInputStream();
    out = s.getOutputStream();
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    int b;
    while ((b = in.read()) >= 0) {
      if (prev == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(b);
      prev = b;
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

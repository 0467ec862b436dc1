package org.tlsrpt.app.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Accepts connections and never says anything: the peer that makes a client time out. */
final class SilentServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  SilentServer(String address, int port) throws IOException {
    socket = new ServerSocket(port, 16, InetAddress.getByName(address));
    acceptor =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (!socket.isClosed()) {
                    try {
                      held.add(socket.accept());
                    } catch (IOException e) {
                      return;
                    }
                  }
                });
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : held) {
      s.close();
    }
    try {
      acceptor.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package org.tlsrpt.storage.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process owns a data directory (the embedded engine cannot share it). The owner holds an OS
 * lock on {@code tlsrpt.lock} and writes its PID there, so that a second process can say who has
 * it.
 */
final class DataDirectoryLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DataDirectoryLock acquire(Path dataDir) {
    Path file = dataDir.resolve("tlsrpt.lock");
    try {
      Files.createDirectories(dataDir);
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        l = null; // this very process holds it already
      }
      if (l == null) {
        String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
        ch.close();
        throw new StorageException(
            "the data directory "
                + dataDir
                + " is in use by another tlsrpt process"
                + (owner.isEmpty() ? "" : " (" + owner + ")")
                + ". One process owns an embedded store: stop that process, or run this command"
                + " against it through 'tlsrpt serve' (its HTTP API), or use another --data-dir.",
            false);
      }
      ch.truncate(0);
      ch.write(
          java.nio.ByteBuffer.wrap(
              ("pid "
                      + ProcessHandle.current().pid()
                      + ", "
                      + ProcessHandle.current().info().commandLine().orElse("tlsrpt"))
                  .getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
      return new DataDirectoryLock(ch, l);
    } catch (IOException e) {
      throw new StorageException(
          "cannot lock the data directory " + dataDir + ": " + e.getMessage(), false, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the OS releases the lock with the process anyway
    }
  }
}

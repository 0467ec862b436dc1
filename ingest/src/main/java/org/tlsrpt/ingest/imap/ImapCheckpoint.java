package org.tlsrpt.ingest.imap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * How far the poller got in one folder: its UIDVALIDITY and the highest UID whose message was
 * handed in and moved (or, without MOVE, copied and flagged \Deleted), kept in a small file that is
 * replaced atomically after each move.
 *
 * <p>Nothing depends on it for correctness: every message still in the folder is handed in again,
 * and the store keeps each input and each report once. What it adds is this: a message at or below
 * the mark that is still in the folder and flagged \Deleted was copied already (the expunge that
 * finishes a copy-and-delete move was lost), so it is expunged and not copied a second time. A new
 * UIDVALIDITY means the folder was recreated and its UIDs mean nothing: the mark starts over.
 */
final class ImapCheckpoint {
  private final Path file;
  private long uidValidity;
  private long lastUid;

  private ImapCheckpoint(Path file, long uidValidity, long lastUid) {
    this.file = file;
    this.uidValidity = uidValidity;
    this.lastUid = lastUid;
  }

  /** Reads the checkpoint, or starts an empty one when the file does not exist yet. */
  static ImapCheckpoint load(Path file) {
    if (!Files.exists(file)) {
      return new ImapCheckpoint(file, -1, 0);
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      return new ImapCheckpoint(
          file,
          Long.parseLong(p.getProperty("uidvalidity", "-1").trim()),
          Long.parseLong(p.getProperty("last_uid", "0").trim()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the IMAP checkpoint " + file, e);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "the IMAP checkpoint " + file + " is damaged (" + e.getMessage() + "); delete it", e);
    }
  }

  /**
   * Takes the folder's current UIDVALIDITY; a different one than remembered resets the mark.
   *
   * @return true when the mark was reset
   */
  boolean adopt(long validity) {
    if (validity == uidValidity) {
      return false;
    }
    boolean known = uidValidity != -1;
    uidValidity = validity;
    lastUid = 0;
    write();
    return known;
  }

  /** Whether the message with this UID was handled and moved before. */
  boolean covers(long uid) {
    return uid <= lastUid;
  }

  /** Records that the message with this UID was moved; written to disk before returning. */
  void advance(long uid) {
    if (uid > lastUid) {
      lastUid = uid;
      write();
    }
  }

  long uidValidity() {
    return uidValidity;
  }

  long lastUid() {
    return lastUid;
  }

  private void write() {
    byte[] text =
        ("uidvalidity=" + uidValidity + "\nlast_uid=" + lastUid + "\n")
            .getBytes(StandardCharsets.UTF_8);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(text));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the IMAP checkpoint " + file, e);
    }
  }
}

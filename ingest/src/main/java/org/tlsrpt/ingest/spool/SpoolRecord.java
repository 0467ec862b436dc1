package org.tlsrpt.ingest.spool;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Source;

/**
 * The format of one spooled input in a segment file: {@code magic, length, CRC-32C, payload}, the
 * payload holding the envelope's fields and its raw bytes. A record that is incomplete or fails its
 * CRC reads as none: a torn tail, never acknowledged.
 */
final class SpoolRecord {
  private static final int MAGIC = 0x544c5352; // "TLSR"

  /** Bytes before the payload: magic, length and CRC. */
  static final int HEADER = 12;

  private SpoolRecord() {}

  static byte[] encode(Envelope e) {
    try {
      ByteArrayOutputStream payload = new ByteArrayOutputStream(e.raw().length + 256);
      DataOutputStream d = new DataOutputStream(payload);
      d.writeLong(e.receivedAt().toEpochMilli());
      d.writeUTF(e.source().wire());
      d.writeBoolean(e.contentType() != null);
      d.writeUTF(e.contentType() == null ? "" : clip(e.contentType()));
      d.writeUTF(e.dkim().wire());
      d.writeBoolean(e.quarantineReason() != null);
      d.writeUTF(e.quarantineReason() == null ? "" : clip(e.quarantineReason()));
      d.writeInt(e.raw().length);
      d.write(e.raw());
      d.flush();
      byte[] p = payload.toByteArray();
      CRC32C c = new CRC32C();
      c.update(p);
      ByteBuffer r = ByteBuffer.allocate(HEADER + p.length);
      r.putInt(MAGIC).putInt(p.length).putInt((int) c.getValue()).put(p);
      return r.array();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** writeUTF takes at most 65,535 bytes; reasons and content types are far shorter. */
  private static String clip(String s) {
    return s.length() > 8000 ? s.substring(0, 8000) : s;
  }

  static Envelope decode(byte[] payload) throws IOException {
    DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    Instant at = Instant.ofEpochMilli(d.readLong());
    Source source = Source.fromWire(d.readUTF());
    boolean hasType = d.readBoolean();
    String type = d.readUTF();
    DkimResult dkim = DkimResult.fromWire(d.readUTF());
    boolean hasReason = d.readBoolean();
    String reason = d.readUTF();
    byte[] raw = new byte[d.readInt()];
    d.readFully(raw);
    return new Envelope(
        raw, source, at, hasType ? type : null, Map.of(), dkim, hasReason ? reason : null);
  }

  /**
   * Reads the payload of the record at the channel's position, or null when fewer than {@code
   * available} bytes hold a whole record that passes its CRC.
   */
  static byte[] read(FileChannel ch, long available) throws IOException {
    if (available < HEADER) {
      return null;
    }
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    while (head.hasRemaining() && ch.read(head) > 0) {}
    if (head.hasRemaining()) {
      return null;
    }
    head.flip();
    int magic = head.getInt();
    int length = head.getInt();
    int crc = head.getInt();
    if (magic != MAGIC || length < 0 || length > available - HEADER) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    while (body.hasRemaining() && ch.read(body) > 0) {}
    if (body.hasRemaining()) {
      return null;
    }
    CRC32C c = new CRC32C();
    c.update(body.array());
    return (int) c.getValue() == crc ? body.array() : null;
  }
}

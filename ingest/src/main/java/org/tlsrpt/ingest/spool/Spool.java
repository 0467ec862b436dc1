package org.tlsrpt.ingest.spool;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.GroupCommit;
import org.tlsrpt.ingest.TryLaterException;
import org.tlsrpt.parser.RawInput;
import org.tlsrpt.storage.DkimResult;
import org.tlsrpt.storage.Source;

/**
 * A local append-only log of received inputs, fsync'd before a sender is answered: the durable
 * store of {@code tlsrpt serve}, from which {@link SpoolLoader} moves inputs into ClickHouse in
 * large batches.
 *
 * <p>Records are {@code magic, length, CRC-32C, payload} in segment files {@code seg-<number>.log}.
 * One writer thread appends whatever senders are waiting and fsyncs once for all of them (group
 * commit). Each start opens a new segment, so nothing is ever appended after a tail a crash may
 * have torn; a reader stops at the first record that is incomplete or fails its CRC (never
 * acknowledged: the fsync had not returned). The loader's position is kept in {@code checkpoint}
 * (written to a temporary file, fsync'd, renamed); segments before it are deleted.
 */
public final class Spool implements AutoCloseable {
  private static final int MAGIC = 0x544c5352; // "TLSR"
  private static final Pattern SEGMENT = Pattern.compile("seg-(\\d{20})\\.log");
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  /** Where a record ends: the loader's checkpoint after storing it. */
  public record Position(long segment, long offset) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      return segment != o.segment
          ? Long.compare(segment, o.segment)
          : Long.compare(offset, o.offset);
    }
  }

  /**
   * An input read back (without its transport details, which are not spooled), the position just
   * after it, and its size in the spool.
   */
  public record Read(Envelope envelope, Position next, long bytes) {}

  private final Path dir;
  private final long segmentBytes;
  private final long maxBacklogBytes;
  private final GroupCommit<byte[], Position> appender;
  private final Object durable = new Object();
  private final FileChannel lockChannel;
  private FileChannel current;
  private long currentSegment;
  private long currentSize;
  private volatile Position durableEnd;
  private volatile long appendedBytes;
  private volatile long committedBytes;

  /**
   * @param segmentBytes a segment is closed and a new one started past this size
   * @param maxBacklogBytes spooled but not yet loaded bytes at most; beyond it, senders are told to
   *     try later (ClickHouse has been down or slow for a while)
   * @param maxWaiting appends waiting for the writer at most
   */
  public Spool(Path dir, long segmentBytes, long maxBacklogBytes, int maxWaiting) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.maxBacklogBytes = maxBacklogBytes;
    try {
      Files.createDirectories(dir);
      lockChannel =
          FileChannel.open(
              dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      java.nio.channels.FileLock held;
      try {
        held = lockChannel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        held = null; // this very process has it open already
      }
      if (held == null) {
        lockChannel.close();
        throw new IllegalStateException(
            "the spool "
                + dir
                + " is in use by another tlsrpt process: give each serve its own data.dir");
      }
      long last = segments().stream().mapToLong(Long::longValue).max().orElse(0);
      Position cp = checkpoint();
      long backlog = 0;
      for (long seg : segments()) {
        if (seg >= cp.segment()) {
          backlog += Files.size(segmentFile(seg)) - (seg == cp.segment() ? cp.offset() : 0);
        }
      }
      this.appendedBytes = Math.max(0, backlog);
      openSegment(Math.max(last + 1, cp.segment() + 1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spool in " + dir, e);
    }
    this.appender =
        new GroupCommit<>(
            "tlsrpt-spool-writer",
            Integer.MAX_VALUE,
            Long.MAX_VALUE,
            r -> r.length,
            maxWaiting,
            "cannot write the spool in " + dir,
            this::write);
  }

  private void openSegment(long seg) throws IOException {
    FileChannel next =
        FileChannel.open(segmentFile(seg), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      forceDirectory(); // the new file's name is durable before anything is answered from it
    } catch (IOException e) {
      next.close();
      Files.deleteIfExists(segmentFile(seg));
      throw e;
    }
    if (current != null) {
      current.close();
    }
    current = next;
    currentSegment = seg;
    currentSize = 0;
    durableEnd = new Position(seg, 0);
  }

  /**
   * Appends the entry and returns once it is on disk (fsync'd).
   *
   * @throws TryLaterException the spool is full (the loader is far behind) or cannot be written
   */
  public void append(Envelope e) throws TryLaterException {
    if (backlogBytes() > maxBacklogBytes) {
      throw new TryLaterException(
          "the spool holds "
              + backlogBytes()
              + " bytes not yet in ClickHouse (ingest.max_backlog_bytes): is ClickHouse down?",
          null);
    }
    appender.submit(encode(e));
  }

  /** Writes the records of one group commit and fsyncs them once; returns where they end. */
  private Position write(List<byte[]> records) throws IOException {
    try {
      if (currentSize >= segmentBytes) {
        openSegment(currentSegment + 1);
      }
      long bytes = 0;
      for (byte[] record : records) {
        ByteBuffer b = ByteBuffer.wrap(record);
        while (b.hasRemaining()) {
          current.write(b);
        }
        bytes += record.length;
      }
      current.force(false);
      currentSize += bytes;
      appendedBytes += bytes;
      Position end = new Position(currentSegment, currentSize);
      synchronized (durable) {
        durableEnd = end;
        durable.notifyAll();
      }
      return end;
    } catch (IOException | RuntimeException e) {
      try {
        // what was written of this batch may be torn: go on in a new segment
        openSegment(currentSegment + 1);
      } catch (IOException again) {
        e.addSuppressed(again); // the next write fails too, and says why
      }
      throw e;
    }
  }

  /** Spooled bytes not yet loaded into ClickHouse. */
  public long backlogBytes() {
    return Math.max(0, appendedBytes - committedBytes);
  }

  /** Waits up to {@code millis} for something to be appended after {@code after}. */
  public void awaitAfter(Position after, long millis) throws InterruptedException {
    synchronized (durable) {
      if (durableEnd.compareTo(after) <= 0) {
        durable.wait(millis);
      }
    }
  }

  /** The position after the last durable record. */
  public Position end() {
    return durableEnd;
  }

  /**
   * Up to {@code max} entries (and about {@code maxBytes}) after {@code from}, only from what is
   * durable.
   */
  public List<Read> read(Position from, int max, long maxBytes) {
    List<Read> out = new ArrayList<>();
    Position end = durableEnd;
    long bytes = 0;
    try {
      for (long seg : segments()) {
        if (seg < from.segment() || out.size() >= max || bytes >= maxBytes) {
          continue;
        }
        long limit = seg == end.segment() ? end.offset() : Files.size(segmentFile(seg));
        if (seg > end.segment()) {
          break;
        }
        long offset = seg == from.segment() ? from.offset() : 0;
        FileChannel opened;
        try {
          opened = FileChannel.open(segmentFile(seg), StandardOpenOption.READ);
        } catch (java.nio.file.NoSuchFileException gone) {
          continue; // removed by a commit meanwhile: everything in it was loaded
        }
        try (FileChannel ch = opened) {
          ch.position(offset);
          while (offset < limit && out.size() < max && bytes < maxBytes) {
            byte[] record = readRecord(ch, limit - offset);
            if (record == null) {
              break; // a torn tail: the rest of this segment was never acknowledged
            }
            offset += 12 + record.length;
            bytes += record.length;
            out.add(new Read(decode(record), new Position(seg, offset), 12L + record.length));
          }
        }
        if (seg == end.segment()) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spool in " + dir, e);
    }
    return out;
  }

  /**
   * Keeps an input storage refused even as rejected, so that the loader can move past it without
   * losing it: its exact bytes in {@code refused/<sha256>} beside the segments, and the reason in
   * {@code refused/<sha256>.reason}. An operator can import the bytes again once storage takes
   * them.
   *
   * @return the file holding the bytes
   */
  public Path keepRefused(Envelope e, String reason) {
    String sha = new RawInput(e.raw()).sha256();
    Path refused = dir.resolve("refused");
    Path file = refused.resolve(sha);
    try {
      Files.createDirectories(refused);
      Files.write(file, e.raw());
      Files.writeString(
          refused.resolve(sha + ".reason"),
          "source="
              + e.source().wire()
              + " received_at="
              + e.receivedAt()
              + (e.contentType() == null ? "" : " content_type=" + e.contentType())
              + "\n"
              + reason
              + "\n",
          StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      forceDirectory(refused);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot keep a refused input in " + refused, ex);
    }
    LOG.error(
        "input sha256={} source={} outcome=refused: storage refused it even as rejected; its bytes"
            + " are kept in {} ({})",
        sha,
        e.source().wire(),
        file,
        reason);
    return file;
  }

  /** Records that everything before {@code p} is in ClickHouse, and removes finished segments. */
  public void commit(Position p, long loadedBytes) {
    try {
      Path tmp = dir.resolve("checkpoint.tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(
            ByteBuffer.wrap(
                (p.segment() + " " + p.offset() + "\n").getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      Files.move(
          tmp,
          dir.resolve("checkpoint"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      forceDirectory();
      committedBytes += loadedBytes;
      for (long seg : segments()) {
        if (seg < p.segment() && seg != currentSegment) {
          Files.deleteIfExists(segmentFile(seg));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spool checkpoint in " + dir, e);
    }
  }

  /** Where the loader stopped last time. */
  public Position checkpoint() {
    Path f = dir.resolve("checkpoint");
    try {
      if (!Files.exists(f)) {
        return new Position(segments().stream().mapToLong(Long::longValue).min().orElse(0), 0);
      }
      String[] v = Files.readString(f, StandardCharsets.US_ASCII).trim().split(" ");
      return new Position(Long.parseLong(v[0]), Long.parseLong(v[1]));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "the spool checkpoint " + f + " cannot be read (" + e.getMessage() + ")", e);
    }
  }

  private List<Long> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> SEGMENT.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Long.parseLong(m.group(1)))
          .sorted()
          .toList();
    }
  }

  private Path segmentFile(long seg) {
    return dir.resolve(String.format("seg-%020d.log", seg));
  }

  private void forceDirectory() throws IOException {
    forceDirectory(dir);
  }

  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static byte[] readRecord(FileChannel ch, long available) throws IOException {
    if (available < 12) {
      return null;
    }
    ByteBuffer head = ByteBuffer.allocate(12);
    while (head.hasRemaining() && ch.read(head) > 0) {}
    if (head.hasRemaining()) {
      return null;
    }
    head.flip();
    int magic = head.getInt();
    int length = head.getInt();
    int crc = head.getInt();
    if (magic != MAGIC || length < 0 || length > available - 12) {
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
      ByteBuffer r = ByteBuffer.allocate(12 + p.length);
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
   * Stops the writer after what was handed in (senders still waiting are told to try later). The
   * spool can still be read and committed until {@link #close()}.
   */
  public void stopAppending() {
    appender.close();
    synchronized (durable) {
      durable.notifyAll();
    }
  }

  /** Stops appending and releases the spool (its lock) to the next process. */
  @Override
  public void close() {
    stopAppending();
    try {
      if (appender.stopped()) {
        current.close();
      }
      lockChannel.close();
    } catch (IOException e) {
      // closing a channel whose data is already fsync'd loses nothing
    }
  }
}

package org.tlsrpt.ingest.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.tlsrpt.ingest.Envelope;
import org.tlsrpt.ingest.GroupCommit;
import org.tlsrpt.ingest.TryLaterException;

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

  private final Path dir;
  private final SpoolSegments segments;
  private final SpoolCheckpoint checkpoints;
  private final long segmentBytes;
  private final long maxBacklogBytes;
  private final GroupCommit<byte[], SpoolPosition> appender;
  private final Object durable = new Object();
  private final FileChannel lockChannel;
  private FileChannel current;
  private long currentSegment;
  private long currentSize;
  private volatile SpoolPosition durableEnd;
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
    this.segments = new SpoolSegments(dir);
    this.checkpoints = new SpoolCheckpoint(dir, segments);
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
      long last = segments.list().stream().mapToLong(Long::longValue).max().orElse(0);
      SpoolPosition cp = checkpoint();
      long backlog = 0;
      for (long seg : segments.list()) {
        if (seg >= cp.segment()) {
          backlog += Files.size(segments.file(seg)) - (seg == cp.segment() ? cp.offset() : 0);
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
        FileChannel.open(
            segments.file(seg), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      segments
          .forceDirectory(); // the new file's name is durable before anything is answered from it
    } catch (IOException e) {
      next.close();
      Files.deleteIfExists(segments.file(seg));
      throw e;
    }
    if (current != null) {
      current.close();
    }
    current = next;
    currentSegment = seg;
    currentSize = 0;
    durableEnd = new SpoolPosition(seg, 0);
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
    appender.submit(SpoolRecord.encode(e));
  }

  /** Writes the records of one group commit and fsyncs them once; returns where they end. */
  private SpoolPosition write(List<byte[]> records) throws IOException {
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
      SpoolPosition end = new SpoolPosition(currentSegment, currentSize);
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
  public void awaitAfter(SpoolPosition after, long millis) throws InterruptedException {
    synchronized (durable) {
      if (durableEnd.compareTo(after) <= 0) {
        durable.wait(millis);
      }
    }
  }

  /** The position after the last durable record. */
  public SpoolPosition end() {
    return durableEnd;
  }

  /**
   * Up to {@code max} entries (and about {@code maxBytes}) after {@code from}, only from what is
   * durable.
   */
  public List<SpoolRead> read(SpoolPosition from, int max, long maxBytes) {
    List<SpoolRead> out = new ArrayList<>();
    SpoolPosition end = durableEnd;
    long bytes = 0;
    try {
      for (long seg : segments.list()) {
        if (seg < from.segment() || out.size() >= max || bytes >= maxBytes) {
          continue;
        }
        long limit = seg == end.segment() ? end.offset() : Files.size(segments.file(seg));
        if (seg > end.segment()) {
          break;
        }
        long offset = seg == from.segment() ? from.offset() : 0;
        FileChannel opened;
        try {
          opened = FileChannel.open(segments.file(seg), StandardOpenOption.READ);
        } catch (java.nio.file.NoSuchFileException gone) {
          continue; // removed by a commit meanwhile: everything in it was loaded
        }
        try (FileChannel ch = opened) {
          ch.position(offset);
          while (offset < limit && out.size() < max && bytes < maxBytes) {
            byte[] record = SpoolRecord.read(ch, limit - offset);
            if (record == null) {
              break; // a torn tail: the rest of this segment was never acknowledged
            }
            offset += SpoolRecord.HEADER + record.length;
            bytes += record.length;
            out.add(
                new SpoolRead(
                    SpoolRecord.decode(record),
                    new SpoolPosition(seg, offset),
                    (long) SpoolRecord.HEADER + record.length));
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
    return RefusedInputs.keep(dir, e, reason);
  }

  /** Records that everything before {@code p} is in ClickHouse, and removes finished segments. */
  public void commit(SpoolPosition p, long loadedBytes) {
    try {
      checkpoints.write(p);
      committedBytes += loadedBytes;
      for (long seg : segments.list()) {
        if (seg < p.segment() && seg != currentSegment) {
          Files.deleteIfExists(segments.file(seg));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spool checkpoint in " + dir, e);
    }
  }

  /** Where the loader stopped last time. */
  public SpoolPosition checkpoint() {
    return checkpoints.read();
  }

  static byte[] encode(Envelope e) {
    return SpoolRecord.encode(e);
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

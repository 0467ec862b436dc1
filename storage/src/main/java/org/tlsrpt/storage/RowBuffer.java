package org.tlsrpt.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tlsrpt.storage.engine.StorageException;

/**
 * The growable byte buffer behind {@link RawRows} and {@link BinaryRows}: RowBinary's little-endian
 * numbers and LEB128 lengths, written without the per-call locking of {@code
 * ByteArrayOutputStream}, into a buffer sized up front from what the batch will need (the profile
 * of the Kafka worker showed the growth copies of the raw archive's buffer among its hottest Java
 * frames; docs/performance.md).
 */
final class RowBuffer {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf;
  private int count;

  RowBuffer(int capacity) {
    buf = new byte[Math.max(capacity, 64)];
  }

  void write(int b) {
    ensure(1);
    buf[count++] = (byte) b;
  }

  void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  void int32(int v) {
    ensure(4);
    INT_LE.set(buf, count, v);
    count += 4;
  }

  void int64(long v) {
    ensure(8);
    LONG_LE.set(buf, count, v);
    count += 8;
  }

  /** Unsigned LEB128, as RowBinary writes lengths. */
  void varint(long n) {
    ensure(10);
    while (n >= 0x80) {
      buf[count++] = (byte) ((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    buf[count++] = (byte) n;
  }

  /** A String: its length as LEB128, then the bytes. */
  void string(byte[] b) {
    varint(b.length);
    write(b, 0, b.length);
  }

  int size() {
    return count;
  }

  /** The buffer itself: its first {@link #size()} bytes are the rows (for an insert, no copy). */
  byte[] array() {
    return buf;
  }

  private void ensure(int more) {
    if (buf.length - count < more) {
      long wanted = Math.max((long) count + more, (long) buf.length * 2);
      if (wanted > Integer.MAX_VALUE - 16) {
        throw new StorageException("a batch's rows exceed 2 GiB; store smaller batches", false);
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }
}

package org.tlsrpt.parser.compress;

import java.io.InputStream;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.parser.rules.Warning;

/**
 * Streams the decompressed content of gzip data (RFC 1952) held in memory, and stops at a limit
 * instead of allocating the whole output: a gzip bomb costs at most the limit in time and one
 * buffer in memory. Checks the header, the CRC-32 and the length of each member; concatenated
 * members are read as one stream, as gzip(1) does. Errors are thrown as {@link
 * InputRejectedException}.
 *
 * <p>Not thread-safe; close it to free the native inflater.
 */
public final class BoundedGunzipStream extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final byte[] in;
  private final int end;
  private final DecompressionBudget budget;
  private final List<Warning> warnings;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private long total;
  private long memberSize;
  private boolean eof;
  private final byte[] one = new byte[1];

  public BoundedGunzipStream(
      byte[] in, int off, int len, DecompressionBudget budget, List<Warning> warnings) {
    this.in = in;
    this.end = off + len;
    this.budget = budget;
    this.warnings = warnings;
    startMember(off);
  }

  /** Whether b[off..] starts with the gzip magic bytes. */
  public static boolean isGzip(byte[] b, int off, int len) {
    return len >= 2 && (b[off] & 0xff) == 0x1f && (b[off + 1] & 0xff) == 0x8b;
  }

  private void startMember(int pos) {
    if (end - pos < 10) {
      throw corrupt("gzip header is truncated");
    }
    if (!isGzip(in, pos, end - pos)) {
      throw corrupt("not gzip data (bad magic bytes)");
    }
    if (in[pos + 2] != 8) {
      throw corrupt("gzip compression method " + in[pos + 2] + " is not deflate");
    }
    int flags = in[pos + 3] & 0xff;
    if ((flags & 0xe0) != 0) {
      throw corrupt("gzip header has reserved flags set");
    }
    int p = pos + 10;
    if ((flags & FEXTRA) != 0) {
      if (end - p < 2) {
        throw corrupt("gzip header is truncated");
      }
      p += 2 + ((in[p] & 0xff) | (in[p + 1] & 0xff) << 8);
    }
    if ((flags & FNAME) != 0) {
      p = skipZeroTerminated(p);
    }
    if ((flags & FCOMMENT) != 0) {
      p = skipZeroTerminated(p);
    }
    if ((flags & FHCRC) != 0) {
      p += 2;
    }
    if (p > end) {
      throw corrupt("gzip header is truncated");
    }
    inflater.reset();
    crc.reset();
    memberSize = 0;
    inflater.setInput(in, p, end - p);
  }

  private int skipZeroTerminated(int p) {
    while (p < end && in[p] != 0) {
      p++;
    }
    return p + 1;
  }

  @Override
  public int read() {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    while (!eof) {
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        throw corrupt("corrupt deflate data: " + e.getMessage());
      }
      if (n > 0) {
        crc.update(b, off, n);
        memberSize += n;
        total += n;
        budget.consume(n);
        return n;
      }
      if (inflater.finished()) {
        finishMember();
      } else if (inflater.needsInput()) {
        throw corrupt("gzip data is truncated after " + total + " decompressed bytes");
      } else if (inflater.needsDictionary()) {
        throw corrupt("deflate data needs a preset dictionary");
      }
    }
    return -1;
  }

  private void finishMember() {
    int trailer = end - inflater.getRemaining();
    if (end - trailer < 8) {
      throw corrupt("gzip trailer is truncated");
    }
    long expectedCrc = readInt(trailer);
    long expectedSize = readInt(trailer + 4);
    if (expectedCrc != crc.getValue()) {
      throw corrupt("gzip CRC-32 does not match the data");
    }
    if (expectedSize != (memberSize & 0xffffffffL)) {
      throw corrupt("gzip length field does not match the data");
    }
    int next = trailer + 8;
    if (next >= end) {
      eof = true;
    } else if (isGzip(in, next, end - next)) {
      startMember(next);
    } else {
      boolean zeros = true;
      for (int i = next; i < end && zeros; i++) {
        zeros = in[i] == 0;
      }
      if (!zeros) {
        warnings.add(
            new Warning(
                "gzip_trailing_data",
                (end - next) + " bytes after the end of the gzip data were ignored"));
      }
      eof = true;
    }
  }

  private long readInt(int p) {
    return (in[p] & 0xffL)
        | (in[p + 1] & 0xffL) << 8
        | (in[p + 2] & 0xffL) << 16
        | (in[p + 3] & 0xffL) << 24;
  }

  private static InputRejectedException corrupt(String detail) {
    return new InputRejectedException(RejectCode.DECOMPRESSION_ERROR, detail);
  }

  @Override
  public void close() {
    inflater.end();
  }
}

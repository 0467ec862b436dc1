package org.tlsrpt.parser.compress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.RejectCode;

/**
 * Streams the file entries of an in-memory zip archive to a consumer, each bounded to {@code
 * maxEntryBytes} decompressed, at most {@code maxEntries} of them. Directory entries are skipped.
 * Corrupt archives are rejected as {@link RejectCode#DECOMPRESSION_ERROR}.
 */
public final class ZipEntries {
  private ZipEntries() {}

  /** Receives one entry's name and decompressed content. */
  @FunctionalInterface
  public interface EntryConsumer {
    void accept(String name, InputStream content) throws IOException;
  }

  /** Whether b[off..] starts with a zip local file header (or an empty archive's end record). */
  public static boolean isZip(byte[] b, int off, int len) {
    return len >= 4
        && b[off] == 'P'
        && b[off + 1] == 'K'
        && ((b[off + 2] == 3 && b[off + 3] == 4) || (b[off + 2] == 5 && b[off + 3] == 6));
  }

  /** Reads every file entry; returns how many there were. */
  public static int read(
      byte[] b,
      int off,
      int len,
      int maxEntries,
      DecompressionBudget budget,
      EntryConsumer consumer) {
    int count = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(b, off, len))) {
      ZipEntry entry;
      int entries = 0;
      while ((entry = nextEntry(zip)) != null) {
        if (++entries > maxEntries) {
          throw new InputRejectedException(
              RejectCode.SIZE_LIMIT,
              "zip archive has more than " + maxEntries + " entries (limit maxZipEntries)");
        }
        BoundedStream content = new BoundedStream(zip, budget);
        if (entry.isDirectory()) {
          // drained here, within the budget, rather than inflated unbounded by getNextEntry
          content.transferTo(java.io.OutputStream.nullOutputStream());
          continue;
        }
        count++;
        consumer.accept(entry.getName(), content);
      }
    } catch (IOException e) {
      throw new InputRejectedException(
          RejectCode.DECOMPRESSION_ERROR, "corrupt zip archive: " + e.getMessage());
    }
    return count;
  }

  private static ZipEntry nextEntry(ZipInputStream zip) throws IOException {
    try {
      return zip.getNextEntry();
    } catch (IllegalArgumentException e) {
      // an entry name that is not valid in the archive's charset
      throw new IOException("unreadable entry name", e);
    }
  }
}

package org.tlsrpt.storage.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * ClickHouse embedded in the process: chDB's {@code libchdb.so} called through the FFM API, data
 * under a directory this process owns. Statements run one at a time on the one connection.
 */
@SuppressWarnings("restricted") // reads native memory that libchdb returns
public final class EmbeddedClickHouse implements ClickHouse {
  /** Formats whose rows may hold NUL bytes. */
  private static final Set<String> BINARY_FORMATS = Set.of("RowBinary", "Native");

  /** Inserts larger than this go through a file. */
  private static final int INLINE_LIMIT = 64 * 1024;

  private final ChdbLibrary lib;
  private final Path dataDir;
  private final DataDirectoryLock dirLock;
  private final MemorySegment connPtr;
  private final MemorySegment conn;
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  private EmbeddedClickHouse(
      ChdbLibrary lib, Path dataDir, DataDirectoryLock dirLock, MemorySegment connPtr) {
    this.lib = lib;
    this.dataDir = dataDir;
    this.dirLock = dirLock;
    this.connPtr = connPtr;
    this.conn = connPtr.reinterpret(ValueLayout.ADDRESS.byteSize()).get(ValueLayout.ADDRESS, 0);
  }

  /**
   * Opens (creating if needed) the store under {@code dataDir}.
   *
   * @param library the path of libchdb.so
   */
  public static EmbeddedClickHouse open(Path library, Path dataDir) {
    ChdbLibrary lib = ChdbLibrary.load(library);
    StandardInputGuard.apply(); // before the engine can see this process's standard input
    Path dir = dataDir.toAbsolutePath().normalize();
    DataDirectoryLock dirLock = DataDirectoryLock.acquire(dir);
    clearSpool(dir.resolve("spool"));
    try (Arena arena = Arena.ofConfined()) {
      lib.setSignalHandlersEnabled.invokeExact(false);
      MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, 2);
      argv.setAtIndex(ValueLayout.ADDRESS, 0, arena.allocateFrom("clickhouse"));
      argv.setAtIndex(
          ValueLayout.ADDRESS, 1, arena.allocateFrom("--path=" + dir.resolve("clickhouse")));
      MemorySegment connPtr = (MemorySegment) lib.connect.invokeExact(2, argv);
      if (connPtr.equals(MemorySegment.NULL)
          || connPtr.reinterpret(8).get(ValueLayout.ADDRESS, 0).equals(MemorySegment.NULL)) {
        dirLock.close();
        throw new StorageException(
            "the embedded ClickHouse could not open " + dir + " (is another process using it?)",
            false);
      }
      EmbeddedClickHouse ch = new EmbeddedClickHouse(lib, dir, dirLock, connPtr);
      EngineShutdown.opened(ch); // never exit with it open: libchdb's exit-time teardown crashes
      // nobody reads system.query_log of the embedded engine, and writing it costs every statement
      // a few milliseconds
      ch.execute("SET log_queries = 0");
      return ch;
    } catch (StorageException e) {
      throw e;
    } catch (Throwable t) {
      dirLock.close();
      throw new StorageException("the embedded ClickHouse failed to start: " + t, false, t);
    }
  }

  @Override
  public void execute(String sql) {
    run(sql.getBytes(StandardCharsets.UTF_8), "TabSeparated");
  }

  @Override
  public void insert(String table, String format, byte[] rows) {
    insert(table, format, rows, rows.length);
  }

  @Override
  public void insert(String table, String format, byte[] rows, int length) {
    if (length > INLINE_LIMIT || BINARY_FORMATS.contains(format)) {
      // chDB reads inline data only up to a NUL byte, and reads large inserts faster from a file
      // (written straight from the caller's buffer: no copy of a batch's tens of megabytes)
      insertFromFile(table, format, rows, length);
      return;
    }
    byte[] head =
        ("INSERT INTO " + table + " FORMAT " + format + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] sql = new byte[head.length + length];
    System.arraycopy(head, 0, sql, 0, head.length);
    System.arraycopy(rows, 0, sql, head.length, length);
    run(sql, format);
  }

  /** Removes the files a process that died mid-insert left behind (we own the directory now). */
  private static void clearSpool(Path spool) {
    if (!Files.isDirectory(spool)) {
      return;
    }
    try (var files = Files.list(spool)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // leftovers only cost disk space; inserting still works
    }
  }

  private void insertFromFile(String table, String format, byte[] rows, int length) {
    Path spool = dataDir.resolve("spool");
    Path file = null;
    try {
      Files.createDirectories(spool);
      file = Files.createTempFile(spool, "insert-", ".bin");
      try (var out = Files.newOutputStream(file)) {
        out.write(rows, 0, length);
      }
      execute(
          "INSERT INTO "
              + table
              + " FROM INFILE '"
              + file.toString().replace("\\", "\\\\").replace("'", "\\'")
              + "' FORMAT "
              + format);
    } catch (IOException e) {
      throw new StorageException(
          "cannot write the rows to insert under " + spool + ": " + e.getMessage(), false, e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a leftover is harmless: the next start clears the directory
        }
      }
    }
  }

  @Override
  public byte[] query(String sql, String format) {
    return run(sql.getBytes(StandardCharsets.UTF_8), format);
  }

  private byte[] run(byte[] sql, String format) {
    lock.lock();
    try (Arena arena = Arena.ofConfined()) {
      if (closed) {
        throw new StorageException("the embedded ClickHouse at " + dataDir + " is closed", false);
      }
      MemorySegment q = arena.allocate(sql.length + 1L);
      MemorySegment.copy(sql, 0, q, ValueLayout.JAVA_BYTE, 0, sql.length);
      byte[] fmt = format.getBytes(StandardCharsets.US_ASCII);
      MemorySegment f = arena.allocate(fmt.length + 1L);
      MemorySegment.copy(fmt, 0, f, ValueLayout.JAVA_BYTE, 0, fmt.length);
      MemorySegment result =
          (MemorySegment) lib.queryN.invokeExact(conn, q, (long) sql.length, f, (long) fmt.length);
      if (result.equals(MemorySegment.NULL)) {
        throw new StorageException("the embedded ClickHouse returned no result", false);
      }
      try {
        MemorySegment error = (MemorySegment) lib.resultError.invokeExact(result);
        if (!error.equals(MemorySegment.NULL)) {
          String message = error.reinterpret(1 << 20).getString(0);
          throw StorageErrors.fromServerMessage(message, abbreviate(sql));
        }
        long length = (long) lib.resultLength.invokeExact(result);
        if (length == 0) {
          return new byte[0];
        }
        MemorySegment buffer = (MemorySegment) lib.resultBuffer.invokeExact(result);
        return buffer.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
      } finally {
        lib.destroyResult.invokeExact(result);
      }
    } catch (StorageException e) {
      throw e;
    } catch (Throwable t) {
      throw new StorageException("the embedded ClickHouse call failed: " + t, false, t);
    } finally {
      lock.unlock();
    }
  }

  private static String abbreviate(byte[] sql) {
    String s = new String(sql, 0, Math.min(sql.length, 200), StandardCharsets.UTF_8);
    return sql.length > 200 ? s + "..." : s;
  }

  @Override
  public boolean exclusive() {
    return true;
  }

  @Override
  public String describe() {
    return "embedded ClickHouse in " + dataDir;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      EngineShutdown.closed(this);
      lib.closeConn.invokeExact(connPtr);
    } catch (Throwable t) {
      throw new StorageException("closing the embedded ClickHouse failed: " + t, false, t);
    } finally {
      dirLock.close();
      lock.unlock();
    }
  }
}

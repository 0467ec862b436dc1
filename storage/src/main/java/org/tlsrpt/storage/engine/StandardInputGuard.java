package org.tlsrpt.storage.engine;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Keeps the embedded engine away from this process's standard input.
 *
 * <p>Why: chDB runs statements as clickhouse-local does, and clickhouse-local takes whatever waits
 * on a piped standard input as more rows for an INSERT. With data in the pipe, an INSERT with
 * inline rows is refused ("Processing async inserts with both inlined and external data ... is not
 * supported") and an INSERT ... FROM INFILE waits for the pipe to be closed, which may be never:
 * {@code (echo x; sleep 60) | tlsrpt import DIR} failed on its first statement, and a test JVM,
 * whose standard input is Maven Surefire's command pipe, hung in an insert (a chDB thread blocked
 * in {@code read(0, ...)}) on the day a command came down that pipe.
 *
 * <p>So before the engine is first opened, file descriptor 0 is pointed at {@code /dev/null} (chDB
 * then sees an empty input) and {@link System#in} at the original standard input, reopened through
 * {@code /proc/self/fd}, so that Java code that takes {@code System.in} from then on reads what it
 * read before (from where it had got to, for a file). Code that took {@code System.in} before the
 * engine opened reads {@code /dev/null}; a {@code System.in} set by the program itself is left as
 * it is.
 */
@SuppressWarnings("restricted") // calls libc
final class StandardInputGuard {
  private static final int O_RDONLY = 0;
  private static final int SEEK_CUR = 1;
  private static boolean applied;

  private StandardInputGuard() {}

  /**
   * Applies the guard once per process; later calls do nothing. Synchronized, so that no engine
   * opens on another thread while file descriptor 0 is being replaced.
   */
  static synchronized void apply() {
    if (applied) {
      return;
    }
    applied = true;
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    FunctionDescriptor intInt = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    MethodHandle dup = linker.downcallHandle(libc.find("dup").orElseThrow(), intInt);
    MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(), intInt);
    MethodHandle dup2 =
        linker.downcallHandle(
            libc.find("dup2").orElseThrow(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    MethodHandle lseek =
        linker.downcallHandle(
            libc.find("lseek").orElseThrow(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT));
    MethodHandle open =
        linker.downcallHandle(
            libc.find("open").orElseThrow(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    try (Arena arena = Arena.ofConfined()) {
      // -1 when there is no standard input: /dev/null still goes on 0, or the next file opened
      // would get that descriptor and chDB would read it as input
      int saved = (int) dup.invokeExact(0);
      int devNull = (int) open.invokeExact(arena.allocateFrom("/dev/null"), O_RDONLY, 0);
      if (devNull < 0) {
        throw new StorageException("cannot open /dev/null", false);
      }
      int replaced = devNull == 0 ? 0 : (int) dup2.invokeExact(devNull, 0);
      int ignored = devNull == 0 ? 0 : (int) close.invokeExact(devNull);
      if (replaced < 0) {
        throw new StorageException("cannot point the standard input at /dev/null", false);
      }
      if (saved >= 0) {
        reopen(saved, (long) lseek.invokeExact(saved, 0L, SEEK_CUR));
        ignored = (int) close.invokeExact(saved);
      }
    } catch (StorageException e) {
      throw e;
    } catch (Throwable t) {
      throw new StorageException(
          "could not detach the standard input from the engine: " + t, false, t);
    }
  }

  /**
   * Points {@link System#in} at the original standard input, open as {@code saved}, if it still
   * reads the JVM's own standard input (a test harness may have replaced it: that stays).
   *
   * @param offset where a file given as standard input was read up to; negative for a pipe
   */
  private static void reopen(int saved, long offset) {
    if (System.in.getClass() != BufferedInputStream.class) {
      return; // not the JVM's own standard input (a BufferedInputStream over file descriptor 0)
    }
    try {
      FileInputStream in = new FileInputStream("/proc/self/fd/" + saved);
      if (offset > 0) {
        in.getChannel().position(offset);
      }
      System.setIn(new BufferedInputStream(in));
    } catch (IOException e) {
      // a socket cannot be reopened by path: Java code reads an empty input from now on (no
      // command that opens the engine reads its standard input)
    }
  }
}

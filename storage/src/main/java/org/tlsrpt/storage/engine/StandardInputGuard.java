package org.tlsrpt.storage.engine;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * read before. Code that took {@code System.in} before the engine opened reads {@code /dev/null}.
 */
@SuppressWarnings("restricted") // calls libc
final class StandardInputGuard {
  private static final AtomicBoolean APPLIED = new AtomicBoolean();
  private static final int O_RDONLY = 0;

  private StandardInputGuard() {}

  /** Applies the guard once per process; later calls do nothing. */
  static void apply() {
    if (!APPLIED.compareAndSet(false, true)) {
      return;
    }
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
      int saved = (int) dup.invokeExact(0);
      if (saved < 0) {
        return; // no standard input at all: chDB cannot read one either
      }
      MemorySegment path = arena.allocateFrom("/dev/null");
      int devNull = (int) open.invokeExact(path, O_RDONLY, 0);
      if (devNull < 0) {
        int ignored = (int) close.invokeExact(saved);
        return; // cannot happen on a working system; the engine then sees the real input
      }
      int replaced = (int) dup2.invokeExact(devNull, 0);
      int ignored = (int) close.invokeExact(devNull);
      if (replaced < 0) {
        ignored = (int) close.invokeExact(saved);
        return;
      }
      try {
        System.setIn(new BufferedInputStream(new FileInputStream("/proc/self/fd/" + saved)));
      } catch (IOException e) {
        // a socket cannot be reopened by path: Java code reads an empty input from now on (no
        // command that opens the engine reads its standard input)
      }
      ignored = (int) close.invokeExact(saved);
    } catch (Throwable t) {
      throw new StorageException(
          "could not detach the standard input from the engine: " + t, false, t);
    }
  }
}

package org.tlsrpt.storage.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The C API of chDB's {@code libchdb.so} (ClickHouse as an in-process library) bound with the FFM
 * API. One instance per loaded library; the handles are thread-safe.
 */
@SuppressWarnings("restricted") // calling native code is the point of this class
final class ChdbLibrary {
  final MethodHandle connect;
  final MethodHandle closeConn;
  final MethodHandle queryN;
  final MethodHandle resultBuffer;
  final MethodHandle resultLength;
  final MethodHandle resultError;
  final MethodHandle destroyResult;
  final MethodHandle setSignalHandlersEnabled;

  private ChdbLibrary(SymbolLookup lib) {
    Linker linker = Linker.nativeLinker();
    connect =
        bind(
            linker,
            lib,
            "chdb_connect",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    closeConn =
        bind(linker, lib, "chdb_close_conn", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    queryN =
        bind(
            linker,
            lib,
            "chdb_query_n",
            FunctionDescriptor.of(
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG));
    resultBuffer =
        bind(
            linker,
            lib,
            "chdb_result_buffer",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    resultLength =
        bind(
            linker,
            lib,
            "chdb_result_length",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    resultError =
        bind(
            linker,
            lib,
            "chdb_result_error",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    // ClickHouse installs its own SIGSEGV/SIGBUS handlers by default; the JVM relies on its own
    // (implicit null checks, safepoints), so they must stay off inside a Java process.
    setSignalHandlersEnabled =
        bind(
            linker,
            lib,
            "chdb_set_signal_handlers_enabled",
            FunctionDescriptor.ofVoid(ValueLayout.JAVA_BOOLEAN));
    destroyResult =
        bind(
            linker,
            lib,
            "chdb_destroy_query_result",
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
  }

  private static MethodHandle bind(
      Linker linker, SymbolLookup lib, String name, FunctionDescriptor d) {
    MemorySegment symbol =
        lib.find(name)
            .orElseThrow(
                () ->
                    new StorageException(
                        "libchdb has no symbol "
                            + name
                            + "; use chDB 26.7 (see README, 'Embedded ClickHouse')",
                        false));
    return linker.downcallHandle(symbol, d);
  }

  // A native library is process-wide by nature: it is loaded once and never unloaded.
  private static final java.util.Map<Path, ChdbLibrary> LOADED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Loads the library once for the life of the process (it cannot be unloaded safely). */
  static ChdbLibrary load(Path path) {
    return LOADED.computeIfAbsent(path.toAbsolutePath().normalize(), ChdbLibrary::open);
  }

  private static ChdbLibrary open(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new StorageException(
          "the embedded ClickHouse library is not at "
              + path
              + ". Run ./tlsrpt once (it fetches it), or set TLSRPT_CHDB_LIBRARY to an installed"
              + " libchdb.so (see README, 'Embedded ClickHouse')",
          false);
    }
    return new ChdbLibrary(SymbolLookup.libraryLookup(path, Arena.global()));
  }
}

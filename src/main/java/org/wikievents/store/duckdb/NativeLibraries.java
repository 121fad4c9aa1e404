package org.wikievents.store.duckdb;

import com.github.luben.zstd.util.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads DuckDB's and zstd-jni's native libraries, then removes the copies they unpacked into the
 * temp directory.
 *
 * <p>Both drivers copy their library (DuckDB's is 57 MB) into {@code java.io.tmpdir} and only ask
 * for it to be deleted at a normal JVM exit, so every crash, OOM kill or {@code kill -9} leaves a
 * copy behind. On Linux a loaded library stays mapped after its file is unlinked, so the copies are
 * deleted as soon as they are loaded: whatever ends the process later, nothing is left.
 */
final class NativeLibraries {
  private static final List<String> PREFIXES = List.of("libduckdb_java", "libzstd-jni");
  private static volatile boolean loaded;

  private NativeLibraries() {}

  static void load() {
    if (loaded) {
      return;
    }
    synchronized (NativeLibraries.class) {
      if (loaded) {
        return;
      }
      try {
        Class.forName("org.duckdb.DuckDBNative", true, NativeLibraries.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("the DuckDB driver is missing from the class path", e);
      }
      Native.load();
      removeUnpackedCopies();
      loaded = true;
    }
  }

  /** Deletes this process's mapped copies under the temp directory (Linux: /proc/self/maps). */
  private static void removeUnpackedCopies() {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return; // not Linux: the drivers' deleteOnExit is all there is
    }
    try {
      Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
      for (String line : Files.readAllLines(maps, StandardCharsets.UTF_8)) {
        int slash = line.indexOf('/');
        if (slash < 0) {
          continue;
        }
        Path lib = Path.of(line.substring(slash).strip());
        Path name = lib.getFileName();
        if (name != null
            && lib.startsWith(tmp)
            && PREFIXES.stream().anyMatch(p -> name.toString().startsWith(p))) {
          Files.deleteIfExists(lib);
        }
      }
    } catch (IOException | RuntimeException e) {
      // A copy left behind wastes space but breaks nothing.
    }
  }
}

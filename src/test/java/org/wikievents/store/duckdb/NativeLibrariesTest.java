package org.wikievents.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Samples;

/** Processes killed with SIGKILL leave no copy of a native library in the temp directory. */
class NativeLibrariesTest {
  @TempDir Path dir;

  @Test
  void fiveKilledProcessesLeaveNoNativeLibraryInTheTempDirectory() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path db = dir.resolve("store.duckdb");
    for (int i = 0; i < 5; i++) {
      try (ChildJvm child =
          ChildJvm.start(
              dir,
              List.of("-Djava.io.tmpdir=" + tmp),
              Map.of(),
              "run",
              "--replay",
              Samples.MULTIWIKI_2026.toString(),
              "--db",
              db.toString(),
              "--port",
              "0")) {
        child.awaitOutput("dashboard on", Duration.ofMinutes(1));
        // The drivers did unpack into this temp directory, and the process runs on the copies.
        assertThat(Files.readString(Path.of("/proc/" + child.pid() + "/maps")))
            .contains(tmp.toRealPath() + "/libduckdb_java")
            .contains(tmp.toRealPath() + "/libzstd-jni");
        child.kill();
      }
      try (Stream<Path> left = Files.list(tmp)) {
        assertThat(left.map(p -> p.getFileName().toString()))
            .as("left in the temp directory after kill %d", i + 1)
            .noneMatch(name -> name.startsWith("libduckdb_java") || name.startsWith("libzstd"));
      }
    }
  }
}

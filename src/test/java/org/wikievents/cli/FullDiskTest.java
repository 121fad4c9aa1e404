package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Samples;
import org.wikievents.testing.Tables;

/**
 * The store's disk fills during a replay: one clear line, exit 1, nothing committed is lost; once
 * space is freed, a rerun stores exactly every event of the recording, no more. The disk is a small
 * tmpfs of its own (mounting needs root, as the CI machine runs the tests; elsewhere the test
 * skips, and under {@code CI=true} it fails instead), so no other file system ever fills.
 */
class FullDiskTest {
  /**
   * Room left on the disk for the store: more than an empty store, far less than the recording's
   * (about 8 MB once checkpointed).
   */
  private static final long FREE = 850 * 1024;

  private static final long DISK = 32L * 1024 * 1024;

  @TempDir Path dir;
  private Path disk;
  private boolean mounted;

  @BeforeEach
  void mountASmallDisk() throws Exception {
    disk = Files.createDirectories(dir.resolve("disk"));
    String why = null;
    if (!"root".equals(System.getProperty("user.name"))) {
      why = "mounting a tmpfs needs root; this runs as " + System.getProperty("user.name");
    } else {
      String out = run("mount", "-t", "tmpfs", "-o", "size=" + DISK, "wiki-events-full", "" + disk);
      mounted = out == null;
      why = out;
    }
    if (why != null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("the full-disk test cannot mount its disk (" + why + "); under CI=true this fails");
      }
      Assumptions.abort("the full-disk test cannot mount its disk (" + why + "): skipped");
    }
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      String out = run("umount", "" + disk);
      if (out != null) {
        // A child still holding a file: detach now, the kernel frees it when the last one closes.
        assertThat(run("umount", "-l", "" + disk)).as("umount -l " + disk).isNull();
      }
    }
  }

  @Test
  void aFullDiskStopsTheReplayWithOneLineAndARerunAfterFreeingSpaceStoresExactlyEveryEvent()
      throws Exception {
    Path filler = disk.resolve("filler");
    fill(filler, DISK - FREE);
    Path db = disk.resolve("store.duckdb");
    String recording = Samples.WIKIDATA_2018.toString();

    String full;
    try (ChildJvm replay = ChildJvm.start(dir, "replay", recording, "--db", db.toString())) {
      assertThat(replay.await(Duration.ofMinutes(2))).as(replay.output()).isEqualTo(1);
      full = replay.output();
    }
    assertThat(full).contains("No space left on device");
    List<String> lines = full.lines().filter(l -> !l.isBlank()).toList();
    // The loader's error and the command's last word; no native DuckDB trace, no Java stack.
    assertThat(lines).as(full).hasSizeLessThanOrEqualTo(2);
    assertThat(lines).filteredOn(l -> l.startsWith("wiki-events: ")).as(full).hasSize(1);
    assertThat(full)
        .doesNotContain("\tat ")
        .doesNotContain("Stack Trace")
        .doesNotContain("Exception")
        .doesNotContain("WARN");

    Files.delete(filler);
    String rerun;
    try (ChildJvm replay = ChildJvm.start(dir, "replay", recording, "--db", db.toString())) {
      assertThat(replay.await(Duration.ofMinutes(2))).as(replay.output()).isEqualTo(0);
      rerun = replay.output();
    }
    Matcher m = Pattern.compile("stored ([\\d,]+), duplicates ([\\d,]+)").matcher(rerun);
    assertThat(m.find()).as(rerun).isTrue();
    long stored = Long.parseLong(m.group(1).replace(",", ""));
    long duplicates = Long.parseLong(m.group(2).replace(",", ""));
    // The disk filled before the end: what was not committed waits for the rerun.
    assertThat(stored).as(rerun).isPositive();
    assertThat(stored + duplicates).isEqualTo(3_818);
    // Every table as a replay on a roomy disk leaves it: nothing lost, nothing twice.
    Path direct = Samples.directReplay(Samples.WIKIDATA_2018, dir.resolve("direct.duckdb"));
    assertThat(Tables.differences(direct, db)).isEmpty();
  }

  /** Takes {@code bytes} of the disk with real pages (a sparse file would take none). */
  private static void fill(Path file, long bytes) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long left = bytes; left > 0; left -= block.length) {
        ch.write(java.nio.ByteBuffer.wrap(block, 0, (int) Math.min(block.length, left)));
      }
    }
  }

  /** Runs a command; null when it succeeded, else its output and exit code. */
  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return String.join(" ", cmd) + " did not end within 30 s";
    }
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return p.exitValue() == 0
        ? null
        : String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out;
  }
}

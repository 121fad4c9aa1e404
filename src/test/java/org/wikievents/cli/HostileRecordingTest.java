package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Samples;
import picocli.CommandLine;

/**
 * Recordings made to hurt: a line of 200 MB replayed with a 256 MB heap, random bytes under any
 * name, SSE captures with lines that mean nothing. Huge files are made on the fly in a temporary
 * folder, never committed.
 */
class HostileRecordingTest {
  private static final long HUGE = 200L << 20;
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Cli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static List<String> twoEvents() throws Exception {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(Samples.MULTIWIKI_2026)),
                StandardCharsets.UTF_8))) {
      return r.lines().limit(2).toList();
    }
  }

  /** Writes before, a 200 MB event, after; in SSE form or as NDJSON. */
  private Path hugeRecording(boolean sse) throws Exception {
    List<String> events = twoEvents();
    Path file = dir.resolve(sse ? "huge.sse" : "huge.ndjson");
    try (OutputStream o = Files.newOutputStream(file)) {
      o.write(
          ((sse ? "event: message\ndata: " : "") + events.get(0) + (sse ? "\n\n" : "\n"))
              .getBytes(StandardCharsets.UTF_8));
      o.write(
          ((sse ? "event: message\ndata: " : "") + "{\"huge\":\"")
              .getBytes(StandardCharsets.UTF_8));
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) 'x');
      for (long written = 0; written < HUGE; written += chunk.length) {
        o.write(chunk);
      }
      o.write(("\"}" + (sse ? "\n\n" : "\n")).getBytes(StandardCharsets.UTF_8));
      o.write(
          ((sse ? "event: message\ndata: " : "") + events.get(1) + (sse ? "\n\n" : "\n"))
              .getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aHugeLineIsCutAndQuarantinedWithinASmallHeap(boolean sse) throws Exception {
    Path file = hugeRecording(sse);
    Path db = dir.resolve("store.duckdb");
    try (ChildJvm replay = ChildJvm.start(dir, "replay", file.toString(), "--db", db.toString())) {
      int code = replay.await(Duration.ofMinutes(2));
      assertThat(code).as(replay.output()).isZero();
      assertThat(replay.output()).contains("read 3, stored 2, duplicates 0, quarantined 1");
    } finally {
      Files.delete(file);
    }
    String query = "SELECT length(data) <= 16777216 AS bounded, reason FROM wiki_quarantine";
    assertThat(run("sql", "--db", db.toString(), "--format", "csv", query)).isZero();
    assertThat(out.toString().lines().skip(1).findFirst().orElseThrow())
        .startsWith("true,")
        .contains("too large");
  }

  @ParameterizedTest
  @ValueSource(strings = {"noise.ndjson", "noise.ndjson.gz", "noise.sse"})
  void randomBytesAreAOneLineErrorAndExitCode1(String name) throws Exception {
    byte[] noise = new byte[1 << 20];
    new Random(15).nextBytes(noise);
    noise[0] = 'Z'; // not '{': the seed must not make it look like JSON by chance
    Path file = Files.write(dir.resolve(name), noise);
    assertThat(run("replay", file.toString(), "--db", dir.resolve("s.duckdb").toString()))
        .isEqualTo(1);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).contains("is neither NDJSON").doesNotContain("\tat ");
  }

  @Test
  void randomBytesInARealGzipAreAOneLineErrorToo() throws Exception {
    byte[] noise = new byte[1 << 20];
    new Random(16).nextBytes(noise);
    noise[0] = 'Z';
    Path file = dir.resolve("noise.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
      o.write(noise);
    }
    assertThat(run("replay", file.toString(), "--db", dir.resolve("s.duckdb").toString()))
        .isEqualTo(1);
    assertThat(err.toString().lines()).hasSize(1);
  }

  @Test
  void aBrokenGzipIsAOneLineError() throws Exception {
    byte[] noise = new byte[1 << 16];
    new Random(17).nextBytes(noise);
    noise[0] = 0x1f;
    noise[1] = (byte) 0x8b;
    Path file = Files.write(dir.resolve("fake.gz"), noise);
    assertThat(run("replay", file.toString(), "--db", dir.resolve("s.duckdb").toString()))
        .isEqualTo(1);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  @Test
  void linesOfAnSseCaptureThatAreNeitherFieldsNorCommentsAreCountedAndReported() throws Exception {
    List<String> events = twoEvents();
    String sse =
        ": captured\nevent: message\ndata: "
            + events.get(0)
            + "\n\nthis is not SSE\n<html>\n\nevent: message\ndata: "
            + events.get(1)
            + "\n\n";
    Path file = Files.writeString(dir.resolve("stray.sse"), sse);
    assertThat(run("replay", file.toString(), "--db", dir.resolve("s.duckdb").toString())).isZero();
    assertThat(out.toString())
        .contains("read 2, stored 2")
        .contains("skipped 2 lines that were neither SSE fields nor comments");
  }
}

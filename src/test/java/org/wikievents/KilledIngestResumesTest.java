package org.wikievents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.source.RecordedEventServer;
import org.wikievents.source.RecordedEventServer.RecordedRequest;
import org.wikievents.store.EventStore;
import org.wikievents.store.duckdb.DuckDb;

/**
 * {@code wiki-events run} as a real child JVM following the loopback EventStreams server, killed
 * with SIGKILL at random points and restarted: each restart resumes from the committed checkpoint
 * and in the end the store holds every event exactly once, with gold matching a recount.
 */
class KilledIngestResumesTest {
  private static final int KILLS = 3;

  @TempDir Path dir;
  private RecordedEventServer server;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void killedAtRandomPointsThenRestartedStoresEachEventOnce() throws Exception {
    List<String> lines = RecordedEventServer.sample(LiveIngestTest.MULTIWIKI_2026);
    server = RecordedEventServer.start(lines);
    // About 7 s for the whole recording, so the kills land mid-stream.
    server.pace(Duration.ofMillis(3));
    Path db = StoredEvents.db(dir);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String why = "kill points from seed " + seed;

    for (int kill = 1; kill <= KILLS; kill++) {
      String committed = committedCheckpoint(db);
      int before = server.requestCount();
      Process child = spawn(db, kill);
      RecordedRequest request = awaitRequest(before, child, kill);
      assertThat(request.header("Last-Event-ID")).as(why).isEqualTo(committed);
      // Some 250 to 650 events into the run (0.75 to 2 s at the pace): well past the loader's
      // linger (500 ms), so most runs commit something, and never the whole recording.
      long written = server.eventsWritten();
      int killAfter = 250 + random.nextInt(400);
      LiveIngestTest.await(
          () -> server.eventsWritten() >= written + killAfter || !child.isAlive(),
          "run " + kill + " read " + killAfter + " events");
      assertThat(child.isAlive()).as(log(kill)).isTrue();
      child.destroyForcibly();
      System.out.printf(
          "run %d resumed from %s, killed after %d events; %s%n", kill, committed, killAfter, why);
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(server.servedEverything()).as("the kills were mid-stream; " + why).isFalse();

    String committed = committedCheckpoint(db);
    assertThat(committed).as("something was committed before the last kill; " + why).isNotNull();
    int before = server.requestCount();
    int hangUps = server.hangUpsAfterEverything();
    Process last = spawn(db, KILLS + 1);
    assertThat(awaitRequest(before, last, KILLS + 1).header("Last-Event-ID")).isEqualTo(committed);
    LiveIngestTest.await(
        () -> server.hangUpsAfterEverything() > hangUps || !last.isAlive(),
        "the last child read the whole recording");
    assertThat(last.isAlive()).as(log(KILLS + 1)).isTrue();
    last.destroy();
    assertThat(last.waitFor(20, TimeUnit.SECONDS)).as("ends on SIGTERM").isTrue();

    Set<String> expected = StoredEvents.metaIds(lines, List.of());
    StoredEvents stored = StoredEvents.read(db, LiveIngestTest.STREAM);
    stored.assertExactlyOnce(expected, List.of());
    assertThat(stored.checkpoint()).isEqualTo(server.lastId());
    assertThat(server.maxConcurrentConnections()).isEqualTo(1);
  }

  /** What RunCommand will resume from: the store is free once its writer is dead. */
  private static String committedCheckpoint(Path db) throws Exception {
    if (!Files.exists(db)) {
      return null;
    }
    try (EventStore store = DuckDb.open(db)) {
      return store.checkpoint(LiveIngestTest.STREAM).orElse(null);
    }
  }

  private Process spawn(Path db, int run) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            "org.wikievents.Main",
            "run",
            "--stream-url",
            server.url().toString(),
            "--db",
            db.toString(),
            "--stall-timeout",
            "1s",
            "--port",
            "0",
            "--contact",
            "https://example.org/wiki-events-tests");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile(run)).start();
    children.add(p);
    return p;
  }

  private RecordedRequest awaitRequest(int before, Process child, int run) throws Exception {
    LiveIngestTest.await(
        () -> server.requestCount() > before || !child.isAlive(), "run " + run + " connects");
    assertThat(child.isAlive()).as(log(run)).isTrue();
    return server.requests().get(before);
  }

  private File logFile(int run) {
    return dir.resolve("run-" + run + ".log").toFile();
  }

  private String log(int run) {
    try {
      return "child output:\n" + Files.readString(logFile(run).toPath());
    } catch (Exception e) {
      return "no child output: " + e;
    }
  }
}

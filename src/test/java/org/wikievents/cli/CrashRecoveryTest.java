package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.testing.Await;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.GoldRecompute;
import org.wikievents.testing.Samples;
import org.wikievents.testing.StoreTables;

/** A real process killed with SIGKILL mid-replay, several times: nothing lost, nothing doubled. */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void killedAtRandomPointsAndRestartedTheStoreHoldsEachEventOnce() throws Exception {
    Path db = dir.resolve("store.duckdb");
    String input = Samples.MULTIWIKI_2026.toString();
    Random random = new Random();
    int killedMidRun = 0;

    Path wal = Path.of(db + ".wal");
    for (int i = 0; i < 4; i++) {
      // Paced at 10x (about 5 s for the sample) in small batches: kills land between and inside
      // commits. Each child is killed once its commits grew DuckDB's write-ahead log by 30 to
      // 200 KB (the whole sample writes about 1 MB of it): a random point of the replay, and four
      // of them never reach its end.
      long grown = (30 + random.nextInt(170)) * 1024L;
      long[] least = {Long.MAX_VALUE};
      try (ChildJvm child =
          ChildJvm.start(
              dir, "replay", input, "--db", db.toString(), "--speed", "10", "--batch-size", "40")) {
        Await.until(
            "the replay's log grew " + grown / 1024 + " KB",
            Duration.ofMinutes(1),
            () -> {
              // Measured from its smallest: opening the store replays and empties an old log.
              long size = Files.exists(wal) ? Files.size(wal) : 0;
              least[0] = Math.min(least[0], size);
              return size - least[0] >= grown || !child.isAlive();
            });
        if (child.isAlive()) {
          killedMidRun++;
        }
        child.kill();
      }
    }
    try (ChildJvm last = ChildJvm.start(dir, "replay", input, "--db", db.toString())) {
      assertThat(last.await(Duration.ofMinutes(2))).as(last.output()).isZero();
    }

    assertThat(killedMidRun).as("kills that hit a running replay").isGreaterThanOrEqualTo(3);
    GoldRecompute expected = GoldRecompute.of(Samples.lines(Samples.MULTIWIKI_2026));
    try (StoreTables t = StoreTables.open(db)) {
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(expected.eventIds.size());
      assertThat(t.strings("SELECT event_id::VARCHAR FROM wiki")).isEqualTo(expected.eventIds);
      assertThat(t.count("SELECT count(DISTINCT event_id) FROM wiki_raw"))
          .isEqualTo(t.count("SELECT count(*) FROM wiki_raw"))
          .isEqualTo(expected.eventIds.size());
      expected.assertMatches(t.gold());
    }
  }
}

package org.wikievents.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;

/**
 * The dashboard's gold tables agree with silver, whether kept batch by batch or filled once for a
 * store made before they existed.
 */
class DashboardGoldTest {
  private static final Path SAMPLE = Path.of("samples/recentchange-2026-05-05-multiwiki.ndjson.gz");
  private static final String SILVER =
      "SELECT date_trunc('minute', event_time), wiki, type, coalesce(bot, false),"
          + " is_anon(\"user\"), count(*) FROM wiki GROUP BY ALL";
  private static final String DETAIL =
      "SELECT \"interval\", wiki_name, type, bot, anon, events FROM wiki_minutely_detail";

  @TempDir Path dir;

  private void replay(DuckDbStore store) throws Exception {
    Pipeline.start(
            new RecordingSource(SAMPLE, 0),
            new MemoryQueue(10_000),
            store,
            new Loader.Settings(300, Duration.ofMillis(50), Duration.ZERO),
            new SimpleMeterRegistry())
        .awaitEnd();
  }

  private static long scalar(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void assertGoldMatchesSilver(Path db) throws Exception {
    try (Connection c = DuckDbStore.openReadOnly(db);
        Statement st = c.createStatement()) {
      assertThat(scalar(st, "SELECT count(*) FROM (" + SILVER + ")")).isPositive();
      assertThat(scalar(st, "SELECT count(*) FROM ((" + SILVER + ") EXCEPT ALL (" + DETAIL + "))"))
          .isZero();
      assertThat(scalar(st, "SELECT count(*) FROM ((" + DETAIL + ") EXCEPT ALL (" + SILVER + "))"))
          .isZero();
      assertThat(scalar(st, "SELECT sum(events) FROM wiki_hourly_detail")).isEqualTo(2476);
      assertThat(scalar(st, "SELECT sum(events) FROM wiki_minutely_totals")).isEqualTo(2476);
      assertThat(
              scalar(st, "SELECT sum(bytes_added) - sum(bytes_removed) FROM wiki_minutely_totals"))
          .isEqualTo(scalar(st, "SELECT coalesce(sum(length_new - length_old), 0) FROM wiki"));
      assertThat(scalar(st, "SELECT sum(events) FROM wiki_minutely_totals WHERE anon"))
          .isEqualTo(scalar(st, "SELECT count(*) FROM wiki WHERE is_anon(\"user\")"))
          .isPositive();
    }
  }

  @Test
  void batchesKeepTheDetailGoldEqualToSilver() throws Exception {
    Path db = dir.resolve("s.duckdb");
    try (DuckDbStore store = DuckDbStore.open(db)) {
      replay(store);
    }
    assertGoldMatchesSilver(db);
  }

  @Test
  void aStoreMadeBeforeTheDetailGoldIsFilledWhenOpened() throws Exception {
    Path db = dir.resolve("old.duckdb");
    try (DuckDbStore store = DuckDbStore.open(db)) {
      replay(store);
    }
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE wiki_minutely_detail");
      st.execute("DELETE FROM wiki_hourly_detail");
      st.execute("DELETE FROM wiki_minutely_totals");
    }
    DuckDbStore.open(db).close();
    assertGoldMatchesSilver(db);
    DuckDbStore.open(db).close();
    assertGoldMatchesSilver(db);
  }
}

package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Samples;

/**
 * While {@code run --parquet-copy} holds its store (a JVM of its own, DuckDB's file lock taken),
 * this JVM — a second OS process — reads the Parquet copies of the closed hours and days with
 * DuckDB's {@code read_parquet} and gets exactly the silver and gold rows of those hours and days,
 * as a replay of the same recording into a store of its own has them.
 */
class ParquetCopiesWhileRunningTest {
  private static final List<String> HOURS = List.of("2018-03-07 16:00:00", "2018-03-15 16:00:00");
  private static final List<String> HOURLY_GOLD =
      List.of(
          "wiki_hourly_summary",
          "wiki_hourly_bywiki_summary",
          "wiki_hourly_detail",
          "wiki_minutely_summary",
          "wiki_minutely_bywiki_summary",
          "wiki_minutely_detail",
          "wiki_minutely_totals");
  private static final List<String> DAILY_GOLD =
      List.of("wiki_daily_summary", "wiki_daily_bywiki_summary", "wiki_daily_detail");

  @TempDir Path dir;

  @Test
  void anotherProcessReadsExactlyTheSilverAndGoldRowsOfTheClosedHoursWhileRunHoldsTheStore()
      throws Exception {
    // Three hours of event time; the newest (2026-05-05 11h) is still open.
    List<String> lines = new ArrayList<>(Samples.lines(Samples.WIKIDATA_2018));
    lines.addAll(Samples.lines(Samples.NEW_ITEMS_2018));
    lines.addAll(Samples.lines(Samples.MULTIWIKI_2026));
    Path file = Samples.write(dir.resolve("three.ndjson"), lines);
    Path direct = Samples.directReplay(file, dir.resolve("direct.duckdb"));
    Path db = dir.resolve("store.duckdb");
    Path copies = dir.resolve("store.duckdb.parquet");

    try (ChildJvm run =
        ChildJvm.start(
            dir,
            "run",
            "--replay",
            file.toString(),
            "--speed",
            "max",
            "--parquet-copy",
            "--silver-retention",
            "0",
            "--db",
            db.toString(),
            "--port",
            "0")) {
      run.awaitOutput("replay done", Duration.ofMinutes(2));
      assertThat(run.isAlive()).isTrue();
      // The store itself is run's alone: no other process may open it, not even read-only.
      assertThatThrownBy(() -> DuckDb.openReadOnly(db).close()).hasMessageContaining("in use");

      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement()) {
        st.execute("ATTACH '" + direct + "' AS direct (READ_ONLY)");
        for (String hour : HOURS) {
          String date = hour.substring(0, 10);
          String h = hour.substring(11, 13);
          Path silver = copies.resolve("wiki/date=" + date + "/hour=" + h + ".parquet");
          assertThat(
                  count(
                      st,
                      "SELECT count(*) FROM direct.wiki WHERE date_trunc('hour', event_time) ="
                          + " TIMESTAMP '"
                          + hour
                          + "'"))
              .isPositive();
          // When and in which batch a row was written differ between any two runs.
          assertThat(
                  differences(
                      st,
                      "SELECT * EXCLUDE (ingest_time, batch_id) FROM read_parquet('"
                          + silver
                          + "', hive_partitioning = false)",
                      "SELECT * EXCLUDE (ingest_time, batch_id) FROM direct.wiki"
                          + " WHERE date_trunc('hour', event_time) = TIMESTAMP '"
                          + hour
                          + "'"))
              .as(silver.toString())
              .isZero();
          for (String table : HOURLY_GOLD) {
            Path gold =
                copies.resolve("gold/" + table + "/date=" + date + "/hour=" + h + ".parquet");
            assertThat(
                    differences(
                        st,
                        "SELECT * FROM read_parquet('" + gold + "', hive_partitioning = false)",
                        "SELECT * FROM direct."
                            + table
                            + " WHERE date_trunc('hour', \"interval\") = TIMESTAMP '"
                            + hour
                            + "'"))
                .as(gold.toString())
                .isZero();
          }
          for (String table : DAILY_GOLD) {
            Path gold = copies.resolve("gold/" + table + "/date=" + date + "/day.parquet");
            assertThat(
                    differences(
                        st,
                        "SELECT * FROM read_parquet('" + gold + "', hive_partitioning = false)",
                        "SELECT * FROM direct."
                            + table
                            + " WHERE \"interval\" = DATE '"
                            + date
                            + "'"))
                .as(gold.toString())
                .isZero();
          }
        }
        // The open hour and day have no copy yet.
        assertThat(copies.resolve("wiki/date=2026-05-05")).doesNotExist();
        assertThat(copies.resolve("gold/wiki_daily_summary/date=2026-05-05")).doesNotExist();
        // A glob over every closed hour, as the docs show it, reads them all at once.
        assertThat(
                count(
                    st,
                    "SELECT count(*) FROM read_parquet('"
                        + copies
                        + "/wiki/*/*.parquet', hive_partitioning = true)"))
            .isEqualTo(
                count(st, "SELECT count(*) FROM direct.wiki WHERE event_time < DATE '2026-01-01'"));
      }
      assertThat(run.isAlive()).isTrue();
    }
    try (var s = Files.walk(copies)) {
      assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()).isEmpty();
    }
  }

  // A file under a date=... folder reads with a date column unless told not to (hive partitions).

  /** Rows only in one of the two queries, counted as multisets. */
  private static long differences(Statement st, String a, String b) throws SQLException {
    return count(st, "SELECT count(*) FROM ((" + a + ") EXCEPT ALL (" + b + "))")
        + count(st, "SELECT count(*) FROM ((" + b + ") EXCEPT ALL (" + a + "))");
  }

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Await;
import org.wikievents.testing.ChildJvm;
import org.wikievents.testing.Samples;
import org.wikievents.testing.SseServer;

/**
 * While {@code run --parquet-copy} holds its store (a JVM of its own, DuckDB's file lock taken),
 * this JVM — a second OS process — reads the Parquet copies of the closed hours and days with
 * DuckDB's {@code read_parquet} and gets exactly the silver and gold rows of those hours and days,
 * as a replay of the same recording into a store of its own has them: after a replay, and while
 * {@code run} is still taking a live feed in (a loopback EventStreams), whose commits write each
 * hour's copies as soon as they close it.
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();

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
        assertCopiesHold(st, copies, "direct");
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

  @Test
  void whileRunStillIngestsTheLiveFeedAnotherProcessReadsExactlyTheSilverRowsOfTheHoursThatClosed()
      throws Exception {
    // A live feed over three hours of event time: 2018-03-07 16h, 2018-03-15 16h, then
    // 2026-05-05 11h, whose 2,476 events take about ten seconds at the feed's pace. Its first
    // commit closes the two 2018 hours (and days); their copies must come before the feed ends.
    List<String> lines = new ArrayList<>(Samples.lines(Samples.WIKIDATA_2018).subList(0, 500));
    lines.addAll(Samples.lines(Samples.NEW_ITEMS_2018));
    lines.addAll(Samples.lines(Samples.MULTIWIKI_2026));
    int total = lines.size();
    Path direct =
        Samples.directReplay(
            Samples.write(dir.resolve("served.ndjson"), lines), dir.resolve("direct.duckdb"));
    Path db = dir.resolve("live.duckdb");
    Path copies = dir.resolve("live.duckdb.parquet");
    List<Path> closed = new ArrayList<>();
    for (String hour : HOURS) {
      String date = hour.substring(0, 10);
      String h = hour.substring(11, 13);
      closed.add(copies.resolve("wiki/date=" + date + "/hour=" + h + ".parquet"));
      for (String table : HOURLY_GOLD) {
        closed.add(copies.resolve("gold/" + table + "/date=" + date + "/hour=" + h + ".parquet"));
      }
      for (String table : DAILY_GOLD) {
        closed.add(copies.resolve("gold/" + table + "/date=" + date + "/day.parquet"));
      }
    }

    try (SseServer feed = SseServer.of(lines, 4);
        ChildJvm run =
            ChildJvm.start(
                dir,
                "run",
                "--stream-url",
                feed.url(),
                "--parquet-copy",
                "--silver-retention",
                "0",
                "--minute-retention",
                "0",
                "--db",
                db.toString(),
                "--port",
                "0")) {
      run.awaitOutput("dashboard on", Duration.ofSeconds(30));
      Matcher m = Pattern.compile("dashboard on (http://[^\\s;]+)").matcher(run.output());
      assertThat(m.find()).as(run.output()).isTrue();
      URI health = URI.create(m.group(1) + "/health");

      Await.until(
          "the copies of the closed hours and days, while run ingests",
          Duration.ofSeconds(40),
          () -> closed.stream().allMatch(Files::exists));
      long before = committed(health);
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement()) {
        st.execute("ATTACH '" + direct + "' AS direct (READ_ONLY)");
        assertCopiesHold(st, copies, "direct");
        // The open hour has none.
        assertThat(copies.resolve("wiki/date=2026-05-05")).doesNotExist();
      }
      long after = committed(health);
      System.out.printf(
          "read the copies of the closed hours while run went from %d to %d of %d events%n",
          before, after, total);
      // The whole read happened while run was still taking the feed in.
      assertThat(after).as("events committed after the read, of " + total).isLessThan(total);
      assertThat(feed.sent()).as("events served after the read").isLessThan(total);
      Await.until(
          "the rest of the feed committed",
          Duration.ofSeconds(40),
          () -> committed(health) == total);
      assertThat(committed(health)).isGreaterThan(Math.max(before, after));
      run.terminate(Duration.ofSeconds(30));
    }
    // Once run has let go of its store: the copies hold that store's own rows of those hours, too.
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("ATTACH '" + db + "' AS stored (READ_ONLY)");
      assertThat(count(st, "SELECT count(*) FROM stored.wiki")).isEqualTo(total);
      assertCopiesHold(st, copies, "stored");
    }
  }

  /** Events run has taken from the feed and committed, as its /health says. */
  private long committed(URI health) throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("ingest").path("received").asLong(-1);
  }

  // A file under a date=... folder reads with a date column unless told not to (hive partitions).

  /**
   * The copies of {@link #HOURS} and their days hold exactly the silver and gold rows of those
   * hours and days in the attached store {@code store}.
   */
  private static void assertCopiesHold(Statement st, Path copies, String store)
      throws SQLException {
    for (String hour : HOURS) {
      String date = hour.substring(0, 10);
      String h = hour.substring(11, 13);
      Path silver = copies.resolve("wiki/date=" + date + "/hour=" + h + ".parquet");
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM "
                      + store
                      + ".wiki WHERE date_trunc('hour', event_time) = TIMESTAMP '"
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
                  "SELECT * EXCLUDE (ingest_time, batch_id) FROM "
                      + store
                      + ".wiki WHERE date_trunc('hour', event_time) = TIMESTAMP '"
                      + hour
                      + "'"))
          .as(silver.toString())
          .isZero();
      for (String table : HOURLY_GOLD) {
        Path gold = copies.resolve("gold/" + table + "/date=" + date + "/hour=" + h + ".parquet");
        assertThat(
                differences(
                    st,
                    "SELECT * FROM read_parquet('" + gold + "', hive_partitioning = false)",
                    "SELECT * FROM "
                        + store
                        + "."
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
                    "SELECT * FROM "
                        + store
                        + "."
                        + table
                        + " WHERE \"interval\" = DATE '"
                        + date
                        + "'"))
            .as(gold.toString())
            .isZero();
      }
    }
  }

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

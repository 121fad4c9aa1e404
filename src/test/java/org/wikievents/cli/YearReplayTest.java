package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.bench.YearGenerator;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.ChildJvm;

/**
 * {@code run} with its defaults over a generated year of event time at a reduced rate (the real mix
 * of wikis, types, users and sizes at 0.4 events/s, one minute in every 49 hours: 178 clumps of
 * about 24 events, 4,242 events in all): silver ends within its 30-day window and per-minute gold
 * within its 7 days, the hourly and daily gold keep the whole year and equal a count of the input,
 * and the store stays under the size docs/storage.md states. Clumps rather than lone events: the
 * store looks duplicates up once per run of nearby event times and expires silver one hour of
 * events per transaction, so lone events an hour apart would cost ~8,700 of each.
 */
class YearReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * docs/storage.md, "A year on one disk": the bound for this generated year (11.5 MB measured).
   */
  static final long MAX_STORE_BYTES = 24L << 20;

  private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void runOverAGeneratedYearKeepsSilverInItsWindowAndGoldTheWholeYear() throws Exception {
    Path file = dir.resolve("year.ndjson");
    long lines;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      // 0.4 events/s in one minute of every 49 hours: ~24 events a clump, ~4,300 in the year.
      YearGenerator g = new YearGenerator(c, 12, 0.4);
      g.slots(END.minus(Duration.ofDays(364)), END);
      g.keepOneMinuteIn(49 * 60);
      lines = g.writeNdjson(file);
    }
    assertThat(lines).isBetween(2_500L, 6_000L);
    Map<String, Long> hours = new TreeMap<>();
    Instant newest = Instant.EPOCH;
    for (String line : Files.readAllLines(file)) {
      Instant dt = Instant.parse(JSON.readTree(line).path("meta").path("dt").asText());
      newest = dt.isAfter(newest) ? dt : newest;
      hours.merge(dt.truncatedTo(ChronoUnit.HOURS).toString(), 1L, Long::sum);
    }
    Path db = dir.resolve("year.duckdb");
    try (ChildJvm run =
        ChildJvm.start(
            dir,
            "run",
            "--replay",
            file.toString(),
            "--speed",
            "max",
            "--db",
            db.toString(),
            "--port",
            "0")) {
      run.awaitOutput("replay done", Duration.ofSeconds(120));
      assertThat(run.terminate(Duration.ofSeconds(20))).isZero();
    }
    try (Connection c = DuckDb.openReadOnly(db);
        Statement st = c.createStatement()) {
      ResultSet silver =
          st.executeQuery("SELECT min(event_time), max(event_time), count(*) FROM wiki");
      silver.next();
      Instant oldest = silver.getTimestamp(1).toInstant();
      assertThat(silver.getTimestamp(2).toInstant()).isEqualTo(newest);
      assertThat(oldest).isAfterOrEqualTo(newest.minus(Duration.ofDays(30)));
      assertThat(silver.getLong(3)).isBetween(lines / 20, lines / 8);
      ResultSet minutely = st.executeQuery("SELECT min(\"interval\") FROM wiki_minutely_detail");
      minutely.next();
      assertThat(minutely.getTimestamp(1).toInstant())
          .isAfterOrEqualTo(newest.minus(Duration.ofDays(7)).truncatedTo(ChronoUnit.MINUTES));
      Map<String, Long> stored = new TreeMap<>();
      ResultSet hourly =
          st.executeQuery(
              "SELECT strftime(\"interval\", '%Y-%m-%dT%H:00:00Z'), events FROM wiki_hourly_summary");
      while (hourly.next()) {
        stored.put(hourly.getString(1), hourly.getLong(2));
      }
      assertThat(stored).isEqualTo(hours);
      ResultSet daily =
          st.executeQuery(
              "SELECT (SELECT sum(events) FROM wiki_daily_summary),"
                  + " (SELECT sum(events) FROM wiki_daily_detail),"
                  + " (SELECT count(*) FROM wiki_quarantine)");
      daily.next();
      assertThat(List.of(daily.getLong(1), daily.getLong(2), daily.getLong(3)))
          .containsExactly(lines, lines, 0L);
    }
    long bytes;
    try (Stream<Path> files = Files.walk(dir)) {
      bytes =
          files
              .filter(p -> p.getFileName().toString().startsWith("year.duckdb"))
              .filter(Files::isRegularFile)
              .mapToLong(p -> p.toFile().length())
              .sum();
    }
    System.out.printf("generated year: %d events, store %d bytes%n", lines, bytes);
    assertThat(bytes).isLessThan(MAX_STORE_BYTES);
  }
}

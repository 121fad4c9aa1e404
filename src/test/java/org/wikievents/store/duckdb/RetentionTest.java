package org.wikievents.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.Expired;
import org.wikievents.store.Retention;
import org.wikievents.store.Snapshot;
import org.wikievents.testing.GoldRecompute;
import org.wikievents.testing.Samples;
import org.wikievents.testing.StoreTables;

/**
 * Retention of silver and per-minute gold by event time, on real DuckDB files: what goes, what
 * stays, and that gold is exactly what it was.
 */
class RetentionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every gold table, the per-day ones included: none of them may change when silver expires. */
  static final List<String> LASTING_GOLD =
      List.of(
          "wiki_hourly_summary",
          "wiki_hourly_bywiki_summary",
          "wiki_bywiki_summary",
          "wiki_weekdays_totals",
          "wiki_weekdays_hours",
          "wiki_hourly_detail",
          "wiki_daily_summary",
          "wiki_daily_bywiki_summary",
          "wiki_daily_detail");

  static final List<String> MINUTELY_GOLD =
      List.of(
          "wiki_minutely_summary",
          "wiki_minutely_bywiki_summary",
          "wiki_minutely_detail",
          "wiki_minutely_totals");

  @TempDir Path dir;
  private Path db;

  /** Three recordings of 2018 and 2026 in one file: hours and years apart. */
  private List<String> lines;

  private Path file;

  @BeforeEach
  void setUp() {
    db = dir.resolve("store.duckdb");
    lines = new ArrayList<>(Samples.lines(Samples.WIKIDATA_2018));
    lines.addAll(Samples.lines(Samples.NEW_ITEMS_2018));
    lines.addAll(Samples.lines(Samples.MULTIWIKI_2026));
    file = Samples.write(dir.resolve("three.ndjson"), lines);
  }

  @Test
  void expiringSilverLeavesEveryGoldTableAsItWasAndEqualToTheRecompute() throws Exception {
    replay(file, Retention.FOREVER);
    Map<String, List<List<String>>> gold = tables(LASTING_GOLD, MINUTELY_GOLD);
    GoldRecompute expected = GoldRecompute.of(lines);

    Expired e;
    try (DuckDbStore store = DuckDbStore.open(db)) {
      e = store.expire(new Retention(Duration.ofMillis(1), Duration.ZERO), Duration.ofMinutes(1));
    }

    Instant newest = newest(lines);
    assertThat(e.done()).isTrue();
    assertThat(e.minutelyRows()).isZero();
    assertThat(e.silverRows()).isEqualTo(expected.eventIds.size() - idsFrom(lines, newest).size());
    assertThat(silverIds()).isEqualTo(idsFrom(lines, newest));
    assertThat(tables(LASTING_GOLD, MINUTELY_GOLD)).isEqualTo(gold);
    try (StoreTables t = StoreTables.open(db)) {
      expected.assertMatches(t.gold());
      assertDailyGoldMatches(t, expected);
    }
    try (DuckDbReader reader = DuckDbReader.openReadOnly(db)) {
      Snapshot s = reader.read(List.of(), Map.of());
      assertThat(s.asOf()).isEqualTo(newest);
      assertThat(s.silverFrom())
          .as("what silver panels can answer")
          .isEqualTo(newest.minusMillis(1));
    }
  }

  @Test
  void aReplayKeepsSilverWithinItsWindowBeforeTheNewestEventAndGoldWhole() throws Exception {
    Loader.Totals totals = replay(file, new Retention(Duration.ofDays(1), Duration.ofHours(1)));

    Instant newest = newest(lines);
    GoldRecompute expected = GoldRecompute.of(lines);
    assertThat(totals.stored()).isEqualTo(expected.eventIds.size());
    assertThat(silverIds()).isEqualTo(idsFrom(lines, newest.minus(Duration.ofDays(1))));
    try (StoreTables t = StoreTables.open(db)) {
      assertThat(t.gold().hourly()).isEqualTo(expected.hourly);
      assertThat(t.gold().hourlyByWiki()).isEqualTo(expected.hourlyByWiki);
      assertThat(t.gold().byWiki()).isEqualTo(expected.byWiki);
      assertThat(t.gold().weekdays()).isEqualTo(expected.weekdays);
      assertDailyGoldMatches(t, expected);
      String cutoff =
          LocalDateTime.ofInstant(newest.minus(Duration.ofHours(1)), ZoneOffset.UTC)
              .truncatedTo(ChronoUnit.MINUTES)
              .toString();
      assertThat(t.gold().minutely())
          .as("per-minute gold holds the last hour before the newest event")
          .isEqualTo(new TreeMap<>(expected.minutely).tailMap(cutoff, true));
    }
  }

  @Test
  void anEventOlderThanSilverIsNotCountedAgainWhenItsRecordingIsReplayed() throws Exception {
    Retention oneDay = new Retention(Duration.ofDays(1), Duration.ZERO);
    replay(file, oneDay);
    Map<String, List<List<String>>> before = tables(LASTING_GOLD, MINUTELY_GOLD);
    Set<String> silver = silverIds();

    Loader.Totals again = replay(file, oneDay);

    assertThat(again.stored()).isZero();
    assertThat(again.duplicates()).isEqualTo(lines.size());
    assertThat(tables(LASTING_GOLD, MINUTELY_GOLD)).isEqualTo(before);
    assertThat(silverIds()).isEqualTo(silver);
  }

  @Test
  void aRetentionPassThatRunsOutOfTimeLeavesTheRestForTheNextAndLosesNothingElse()
      throws Exception {
    replay(file, Retention.FOREVER);
    Map<String, List<List<String>>> gold = tables(LASTING_GOLD, MINUTELY_GOLD);

    Retention oneDay = new Retention(Duration.ofDays(1), Duration.ZERO);
    try (DuckDbStore store = DuckDbStore.open(db)) {
      Expired first = store.expire(oneDay, Duration.ZERO);
      assertThat(first.done()).isFalse();
      Expired rest;
      int passes = 1;
      do {
        rest = store.expire(oneDay, Duration.ZERO);
        passes++;
      } while (!rest.done() && passes < 100);
      assertThat(rest.done()).isTrue();
    }

    assertThat(silverIds()).isEqualTo(idsFrom(lines, newest(lines).minus(Duration.ofDays(1))));
    assertThat(tables(LASTING_GOLD, MINUTELY_GOLD)).isEqualTo(gold);
  }

  private static void assertDailyGoldMatches(StoreTables t, GoldRecompute expected)
      throws Exception {
    Map<String, Long> days = new TreeMap<>();
    expected.hourly.forEach((h, n) -> days.merge(h.substring(0, 10), n, Long::sum));
    assertThat(t.longs("SELECT strftime(\"interval\", '%Y-%m-%d'), events FROM wiki_daily_summary"))
        .isEqualTo(days);
    Map<String, Long> daysByWiki = new TreeMap<>();
    expected.hourlyByWiki.forEach(
        (k, n) -> daysByWiki.merge(k.substring(0, 10) + k.substring(k.indexOf(' ')), n, Long::sum));
    assertThat(
            t.longs(
                "SELECT strftime(\"interval\", '%Y-%m-%d') || ' ' || wiki_name, events"
                    + " FROM wiki_daily_bywiki_summary"))
        .isEqualTo(daysByWiki);
    assertThat(t.count("SELECT sum(events) FROM wiki_daily_detail"))
        .isEqualTo(expected.eventIds.size());
  }

  private Loader.Totals replay(Path recording, Retention retention) throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db)) {
      Pipeline p =
          Pipeline.start(
              new RecordingSource(recording, 0),
              new MemoryQueue(1000),
              store,
              new Loader.Settings(500, Duration.ofMillis(50), Duration.ZERO, retention),
              new SimpleMeterRegistry());
      p.awaitEnd();
      return p.loader().totals();
    }
  }

  private Set<String> silverIds() throws Exception {
    try (StoreTables t = StoreTables.open(db)) {
      return t.strings("SELECT event_id::VARCHAR FROM wiki");
    }
  }

  private Map<String, List<List<String>>> tables(List<String> a, List<String> b) throws Exception {
    Map<String, List<List<String>>> out = new TreeMap<>();
    try (StoreTables t = StoreTables.open(db)) {
      for (List<String> names : List.of(a, b)) {
        for (String table : names) {
          out.put(table, t.rows("SELECT * FROM " + table + " ORDER BY ALL"));
        }
      }
    }
    return out;
  }

  private static Instant time(JsonNode e) {
    JsonNode meta = e.path("meta");
    return meta.has("dt")
        ? OffsetDateTime.parse(meta.path("dt").asText()).toInstant()
        : Instant.ofEpochSecond(e.path("timestamp").asLong());
  }

  private static Instant newest(List<String> lines) throws Exception {
    Instant newest = Instant.EPOCH;
    for (String l : lines) {
      Instant t = time(JSON.readTree(l));
      newest = t.isAfter(newest) ? t : newest;
    }
    return newest;
  }

  /** The distinct ids of events at or after {@code from}, read from the JSON. */
  private static Set<String> idsFrom(List<String> lines, Instant from) throws Exception {
    Set<String> ids = new HashSet<>();
    for (String l : lines) {
      JsonNode e = JSON.readTree(l);
      if (!time(e).isBefore(from)) {
        ids.add(e.path("meta").path("id").asText());
      }
    }
    return ids;
  }
}

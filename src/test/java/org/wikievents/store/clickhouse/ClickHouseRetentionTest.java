package org.wikievents.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
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
import org.wikievents.testing.ClickHouseServer;
import org.wikievents.testing.ClickHouseTables;
import org.wikievents.testing.GoldRecompute;
import org.wikievents.testing.Samples;

/**
 * Retention of silver and per-minute gold by event time on ClickHouse's engine, as RetentionTest
 * has it on DuckDB: what goes, what stays, and that every gold table is exactly what it was.
 */
class ClickHouseRetentionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every gold table but the per-minute ones: none may change when silver expires. */
  private static final List<String> LASTING_GOLD =
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

  private static final List<String> MINUTELY_GOLD =
      List.of(
          "wiki_minutely_summary",
          "wiki_minutely_bywiki_summary",
          "wiki_minutely_detail",
          "wiki_minutely_totals");

  private static final Set<String> MEASURES =
      Set.of("events", "bytes_added", "bytes_removed", "hours");

  @TempDir Path dir;
  private ClickHouseServer.Database db;
  private Client client;

  /** Three recordings of 2018 and 2026 in one file: hours, months and years apart. */
  private List<String> lines;

  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    db = ClickHouseServer.createDatabase("wiki_events_retention");
    client = ClickHouseServer.client(db.url());
    lines = new ArrayList<>(Samples.lines(Samples.WIKIDATA_2018));
    lines.addAll(Samples.lines(Samples.NEW_ITEMS_2018));
    lines.addAll(Samples.lines(Samples.MULTIWIKI_2026));
    file = Samples.write(dir.resolve("three.ndjson"), lines);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void expiringSilverLeavesEveryGoldTableAsItWasAndEqualToTheRecompute() throws Exception {
    replay(Retention.FOREVER);
    Map<String, List<String>> gold = gold();
    GoldRecompute expected = GoldRecompute.of(lines);

    Expired e;
    try (ClickHouseStore store = open()) {
      e = store.expire(new Retention(Duration.ofMillis(1), Duration.ZERO), Duration.ofMinutes(1));
    }

    Instant newest = newest(lines);
    assertThat(e.done()).isTrue();
    assertThat(e.minutelyRows()).isZero();
    assertThat(e.silverRows()).isEqualTo(expected.eventIds.size() - idsFrom(newest).size());
    assertThat(ClickHouseTables.silverIds(client)).isEqualTo(idsFrom(newest));
    assertThat(gold()).isEqualTo(gold);
    expected.assertMatches(ClickHouseTables.gold(client));
    assertDailyGoldMatches(expected);
    try (ClickHouseReader reader = ClickHouseReader.open(db.url())) {
      Snapshot s = reader.read(List.of(), Map.of());
      assertThat(s.asOf()).isEqualTo(newest);
      assertThat(s.silverFrom())
          .as("what silver panels can answer")
          .isEqualTo(newest.minusMillis(1));
    }
  }

  @Test
  void aReplayKeepsSilverWithinItsWindowBeforeTheNewestEventAndGoldWhole() throws Exception {
    Loader.Totals totals = replay(new Retention(Duration.ofDays(1), Duration.ofHours(1)));

    Instant newest = newest(lines);
    GoldRecompute expected = GoldRecompute.of(lines);
    assertThat(totals.stored()).isEqualTo(expected.eventIds.size());
    assertThat(ClickHouseTables.silverIds(client))
        .isEqualTo(idsFrom(newest.minus(Duration.ofDays(1))));
    var g = ClickHouseTables.gold(client);
    assertThat(g.hourly()).isEqualTo(expected.hourly);
    assertThat(g.hourlyByWiki()).isEqualTo(expected.hourlyByWiki);
    assertThat(g.byWiki()).isEqualTo(expected.byWiki);
    assertThat(g.weekdays()).isEqualTo(expected.weekdays);
    assertDailyGoldMatches(expected);
    String cutoff =
        LocalDateTime.ofInstant(newest.minus(Duration.ofHours(1)), ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MINUTES)
            .toString();
    assertThat(g.minutely())
        .as("per-minute gold holds the last hour before the newest event")
        .isEqualTo(new TreeMap<>(expected.minutely).tailMap(cutoff, true));
  }

  @Test
  void anEventOlderThanSilverIsNotCountedAgainWhenItsRecordingIsReplayed() throws Exception {
    Retention oneDay = new Retention(Duration.ofDays(1), Duration.ZERO);
    replay(oneDay);
    Map<String, List<String>> before = gold();
    Set<String> silver = ClickHouseTables.silverIds(client);

    Loader.Totals again = replay(oneDay);

    assertThat(again.stored()).isZero();
    assertThat(again.duplicates()).isEqualTo(lines.size());
    assertThat(gold()).isEqualTo(before);
    assertThat(ClickHouseTables.silverIds(client)).isEqualTo(silver);
  }

  @Test
  void aRetentionPassThatRunsOutOfTimeLeavesTheRestForTheNextAndLosesNothingElse()
      throws Exception {
    replay(Retention.FOREVER);
    Map<String, List<String>> gold = gold();

    // A unit is a month of silver: 2018-03 goes whole, then 2026-05 up to its last event.
    Retention all = new Retention(Duration.ofMillis(1), Duration.ZERO);
    try (ClickHouseStore store = open()) {
      Expired first = store.expire(all, Duration.ZERO);
      assertThat(first.done()).as("one month a pass, and silver spans two").isFalse();
      Expired rest;
      int passes = 1;
      do {
        rest = store.expire(all, Duration.ZERO);
        passes++;
      } while (!rest.done() && passes < 100);
      assertThat(rest.done()).isTrue();
      assertThat(passes).isEqualTo(2);
    }

    assertThat(ClickHouseTables.silverIds(client)).isEqualTo(idsFrom(newest(lines)));
    assertThat(gold()).isEqualTo(gold);
  }

  private void assertDailyGoldMatches(GoldRecompute expected) {
    Map<String, Long> days = new TreeMap<>();
    expected.hourly.forEach((h, n) -> days.merge(h.substring(0, 10), n, Long::sum));
    String day = "formatDateTime(\"interval\", '%Y-%m-%d')";
    assertThat(
            ClickHouseTables.map(
                client,
                "SELECT " + day + ", sum(events) FROM wiki_daily_summary GROUP BY 1",
                r -> r.getLong(2)))
        .isEqualTo(days);
    Map<String, Long> daysByWiki = new TreeMap<>();
    expected.hourlyByWiki.forEach(
        (k, n) -> daysByWiki.merge(k.substring(0, 10) + k.substring(k.indexOf(' ')), n, Long::sum));
    assertThat(
            ClickHouseTables.map(
                client,
                "SELECT concat("
                    + day
                    + ", ' ', wiki_name), sum(events)"
                    + " FROM wiki_daily_bywiki_summary GROUP BY 1",
                r -> r.getLong(2)))
        .isEqualTo(daysByWiki);
    assertThat(client.queryAll("SELECT sum(events) FROM wiki_daily_detail").get(0).getLong(1))
        .isEqualTo(expected.eventIds.size());
  }

  private ClickHouseStore open() throws Exception {
    return ClickHouseStore.open(db.url(), ClickHouseStore.Layout.SINGLE, Duration.ZERO);
  }

  private Loader.Totals replay(Retention retention) throws Exception {
    try (ClickHouseStore store = open()) {
      Pipeline p =
          Pipeline.start(
              new RecordingSource(file, 0),
              new MemoryQueue(1000),
              store,
              new Loader.Settings(500, Duration.ofMillis(50), Duration.ZERO, retention),
              new SimpleMeterRegistry());
      p.awaitEnd();
      return p.loader().totals();
    }
  }

  /**
   * Every gold table as its folded rows: keys, then sum() of each measure (uniqExactMerge of the
   * hour sets), one line per key. Physical rows may fold between two reads; these may not change.
   */
  private Map<String, List<String>> gold() {
    Map<String, List<String>> columns = ClickHouseSqlTest.tables(ClickHouseStore.Layout.SINGLE);
    Map<String, List<String>> out = new TreeMap<>();
    for (List<String> names : List.of(LASTING_GOLD, MINUTELY_GOLD)) {
      for (String table : names) {
        List<String> keys = columns.get(table).stream().filter(c -> !MEASURES.contains(c)).toList();
        String keyList = keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", "));
        String measures =
            columns.get(table).stream()
                .filter(MEASURES::contains)
                .map(m -> m.equals("hours") ? "uniqExactMerge(hours)" : "sum(" + m + ")")
                .collect(Collectors.joining(", "));
        String sql =
            "SELECT toString(tuple("
                + keyList
                + ", "
                + measures
                + ")) FROM "
                + table
                + " GROUP BY "
                + keyList
                + " ORDER BY "
                + keyList;
        List<String> rows = new ArrayList<>();
        for (GenericRecord r : client.queryAll(sql)) {
          rows.add(r.getString(1));
        }
        out.put(table, rows);
      }
    }
    assertThat(out.get("wiki_hourly_summary")).isNotEmpty();
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
  private Set<String> idsFrom(Instant from) throws Exception {
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

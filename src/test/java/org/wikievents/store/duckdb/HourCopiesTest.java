package org.wikievents.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.event.EventParser;
import org.wikievents.event.RawEvent;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.WriteResult;
import org.wikievents.testing.Await;
import org.wikievents.testing.Samples;
import org.wikievents.testing.StoreTables;

/**
 * The Parquet copies of closed hours, read by a DuckDB of its own while the store is open for
 * writing (DuckDB locks the store file, not the copies).
 */
class HourCopiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void anotherDuckDbReadsExactlyTheSilverRowsOfEachClosedHourWhileTheStoreIsOpen()
      throws Exception {
    List<String> lines = new ArrayList<>(Samples.lines(Samples.WIKIDATA_2018));
    lines.addAll(Samples.lines(Samples.NEW_ITEMS_2018));
    lines.addAll(Samples.lines(Samples.MULTIWIKI_2026));
    Path file = Samples.write(dir.resolve("three.ndjson"), lines);
    Path db = dir.resolve("store.duckdb");
    Path copies = dir.resolve("store.duckdb.parquet");

    try (DuckDbStore store = DuckDbStore.open(db, true)) {
      // Silver kept whole: the 2018 hours stay in it, so a late event of theirs is taken.
      Pipeline.start(
              new RecordingSource(file, 0),
              new MemoryQueue(1000),
              store,
              new Loader.Settings(1000, Duration.ofMillis(50), Duration.ZERO),
              new SimpleMeterRegistry())
          .awaitEnd();

      // 2026-05-05 11h is the newest hour: still open.
      assertThat(listed(copies).stream().filter(f -> f.startsWith("wiki/")))
          .containsExactly(
              "wiki/date=2018-03-07/hour=16.parquet", "wiki/date=2018-03-15/hour=16.parquet");
      // Gold of the same closed hours, and of the two closed days; not of the open hour or day.
      List<String> gold = new ArrayList<>();
      for (String table : DuckDbHourCopies.HOURLY_GOLD) {
        gold.add("gold/" + table + "/date=2018-03-07/hour=16.parquet");
        gold.add("gold/" + table + "/date=2018-03-15/hour=16.parquet");
      }
      for (String table : DuckDbHourCopies.MINUTELY_GOLD) {
        gold.add("gold/" + table + "/date=2018-03-07/hour=16.parquet");
        gold.add("gold/" + table + "/date=2018-03-15/hour=16.parquet");
      }
      for (String table : DuckDbHourCopies.DAILY_GOLD) {
        gold.add("gold/" + table + "/date=2018-03-07/day.parquet");
        gold.add("gold/" + table + "/date=2018-03-15/day.parquet");
      }
      assertThat(listed(copies).stream().filter(f -> f.startsWith("gold/")))
          .containsExactlyInAnyOrderElementsOf(gold);
      TreeMap<String, Set<String>> expected = idsByHour(lines);
      assertThat(read(copies, "2018-03-07", "16")).isEqualTo(expected.get("2018-03-07T16:00"));
      assertThat(read(copies, "2018-03-15", "16")).isEqualTo(expected.get("2018-03-15T16:00"));

      // A late event of a closed hour: the next upkeep writes that hour again, whole.
      ObjectNode late = (ObjectNode) JSON.readTree(Samples.lines(Samples.NEW_ITEMS_2018).get(0));
      String id = UUID.randomUUID().toString();
      ((ObjectNode) late.get("meta")).put("id", id);
      WriteResult w =
          store.write(
              List.of(new EventParser().parse(RawEvent.of("replay", null, late.toString(), 0))));
      assertThat(w.stored()).as(w.toString()).isEqualTo(1);
      store.maintain();

      Set<String> withLate = new HashSet<>(expected.get("2018-03-15T16:00"));
      withLate.add(id);
      assertThat(read(copies, "2018-03-15", "16")).isEqualTo(withLate);
      // Its gold copies too: the hour's and the day's count now include the late event.
      assertThat(
              goldEvents(
                  copies.resolve("gold/wiki_hourly_summary/date=2018-03-15/hour=16.parquet")))
          .isEqualTo(withLate.size());
      assertThat(goldEvents(copies.resolve("gold/wiki_daily_summary/date=2018-03-15/day.parquet")))
          .isEqualTo(withLate.size());
      assertThat(read(copies, "2018-03-07", "16")).isEqualTo(expected.get("2018-03-07T16:00"));
    }
    try (StoreTables t = StoreTables.open(db)) {
      assertThat(t.count("SELECT count(*) FROM wiki_parquet_files")).isEqualTo(2);
      assertThat(t.count("SELECT count(*) FROM wiki_parquet_gold_files"))
          .isEqualTo(
              2L * (DuckDbHourCopies.HOURLY_GOLD.size() + DuckDbHourCopies.MINUTELY_GOLD.size())
                  + 2L * DuckDbHourCopies.DAILY_GOLD.size());
      assertThat(
              t.count(
                  "SELECT events FROM wiki_parquet_files"
                      + " WHERE hour = TIMESTAMP '2018-03-15 16:00:00'"))
          .isEqualTo(Samples.lines(Samples.NEW_ITEMS_2018).size() + 1);
    }
    try (var s = Files.walk(copies)) {
      assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList())
          .as("no temporary file left")
          .isEmpty();
    }
  }

  @Test
  void aCommitThatClosesAnHourHasItsCopiesWrittenRightAfterWithoutWaitingForTheUpkeep()
      throws Exception {
    Path db = dir.resolve("prompt.duckdb");
    Path copies = dir.resolve("prompt.duckdb.parquet");
    MemoryQueue queue = new MemoryQueue(10_000);
    try (DuckDbStore store = DuckDbStore.open(db, true)) {
      // The loader's ten-minute upkeep does not come within this test: only a commit's
      // housekeeping can write the copies.
      Loader loader =
          new Loader(
                  queue,
                  store,
                  new Loader.Settings(1000, Duration.ofMillis(50), Duration.ZERO),
                  new SimpleMeterRegistry())
              .start();
      long stored = put(queue, Samples.WIKIDATA_2018);
      awaitStored(loader, stored);
      // 2018-03-07 16h is the newest hour: open, no copy.
      assertThat(copies.resolve("wiki")).doesNotExist();

      // A week later by event time: the commit closes 16h and the day 2018-03-07.
      stored += put(queue, Samples.NEW_ITEMS_2018);
      Path hour = copies.resolve("wiki/date=2018-03-07/hour=16.parquet");
      Path day = copies.resolve("gold/wiki_daily_summary/date=2018-03-07/day.parquet");
      Await.until("the copies of 2018-03-07 16h and its day", () -> Files.exists(day));
      assertThat(loader.isRunning()).isTrue();
      assertThat(read(copies, "2018-03-07", "16"))
          .isEqualTo(idsByHour(Samples.lines(Samples.WIKIDATA_2018)).get("2018-03-07T16:00"));
      assertThat(hour).exists();
      assertThat(copies.resolve("wiki/date=2018-03-15")).doesNotExist();

      stored += put(queue, Samples.MULTIWIKI_2026);
      Path next = copies.resolve("gold/wiki_daily_summary/date=2018-03-15/day.parquet");
      Await.until("the copies of 2018-03-15 16h and its day", () -> Files.exists(next));
      assertThat(read(copies, "2018-03-15", "16"))
          .isEqualTo(idsByHour(Samples.lines(Samples.NEW_ITEMS_2018)).get("2018-03-15T16:00"));
      assertThat(copies.resolve("wiki/date=2026-05-05")).doesNotExist();
      awaitStored(loader, stored);
      assertThat(loader.isRunning()).isTrue();
      queue.finishInput();
      loader.awaitFinished();
    }
  }

  /** Puts a recording's events into the queue; returns how many. */
  private static long put(MemoryQueue queue, Path recording) throws InterruptedException {
    List<String> lines = Samples.lines(recording);
    for (String l : lines) {
      queue.put(RawEvent.of(RawEvent.REPLAY_STREAM, null, l, 0));
    }
    return lines.size();
  }

  private static void awaitStored(Loader loader, long n) throws InterruptedException {
    Await.until(n + " events committed", () -> loader.totals().received() >= n);
  }

  /** The files in the copies' folder, relative, sorted. */
  private static List<String> listed(Path copies) throws Exception {
    try (var s = Files.walk(copies)) {
      return s.filter(Files::isRegularFile)
          .map(p -> copies.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  private static Set<String> read(Path copies, String date, String hour) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT event_id::VARCHAR FROM read_parquet('"
                    + copies.resolve("wiki/date=" + date + "/hour=" + hour + ".parquet")
                    + "')")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private static long goldEvents(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sum(events) FROM read_parquet('" + file + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static TreeMap<String, Set<String>> idsByHour(List<String> lines) throws Exception {
    TreeMap<String, Set<String>> out = new TreeMap<>();
    for (String l : lines) {
      JsonNode meta = JSON.readTree(l).path("meta");
      String hour =
          OffsetDateTime.parse(meta.path("dt").asText())
              .withOffsetSameInstant(ZoneOffset.UTC)
              .toLocalDateTime()
              .truncatedTo(ChronoUnit.HOURS)
              .toString();
      out.computeIfAbsent(hour, h -> new HashSet<>()).add(meta.path("id").asText());
    }
    return out;
  }
}

package org.wikievents.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.load.Loader;
import org.wikievents.load.Pipeline;
import org.wikievents.queue.MemoryQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.testing.GoldRecompute;
import org.wikievents.testing.Samples;
import org.wikievents.testing.StoreTables;

/** Recordings through the real pipeline into a real DuckDB file, read back and checked. */
class ReplayIntoDuckDbTest {
  @TempDir Path dir;

  private Path db() {
    return dir.resolve("store.duckdb");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "recentchange-2026-05-05-multiwiki.ndjson.gz",
        "recentchange-2018-03-07-wikidata.ndjson.gz",
        "recentchange-2018-03-15-wikidata-new-items.ndjson.gz"
      })
  void goldEqualsAnIndependentRecomputationOfTheInput(String sample) throws Exception {
    Path file = Path.of("samples", sample);
    // Small batches: out-of-order events land in buckets that earlier batches already created.
    replay(file, 97);

    GoldRecompute expected = GoldRecompute.of(Samples.lines(file));
    try (StoreTables t = StoreTables.open(db())) {
      expected.assertMatches(t.gold());
    }
  }

  @Test
  void silverAndBronzeHoldEachDistinctEventOnceWithItsRawText() throws Exception {
    Loader.Totals totals = replay(Samples.MULTIWIKI_2026, 500);

    List<String> lines = Samples.lines(Samples.MULTIWIKI_2026);
    GoldRecompute expected = GoldRecompute.of(lines);
    assertThat(totals.received()).isEqualTo(lines.size());
    assertThat(totals.stored()).isEqualTo(expected.eventIds.size());
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.strings("SELECT event_id::VARCHAR FROM wiki")).isEqualTo(expected.eventIds);
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(expected.eventIds.size());
      assertThat(t.count("SELECT count(*) FROM wiki_raw")).isEqualTo(expected.eventIds.size());
      assertThat(t.strings("SELECT data FROM wiki_raw")).containsExactlyInAnyOrderElementsOf(lines);
      assertThat(t.count("SELECT count(*) FROM wiki_quarantine")).isZero();
      assertThat(t.count("SELECT count(*) FROM wiki_checkpoint"))
          .as("a replay never moves the live resume point")
          .isZero();
    }
  }

  @Test
  void replayingTheSameFileTwiceChangesNothing() throws Exception {
    Path file = withBadLines(Samples.lines(Samples.WIKIDATA_2018));
    replay(file, 1000);
    var before = snapshot();

    Loader.Totals second = replay(file, 1000);

    assertThat(second.stored()).isZero();
    assertThat(second.duplicates()).isEqualTo(Samples.lines(Samples.WIKIDATA_2018).size());
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void repeatedEventsInAFileAndAcrossBatchesAreCountedOnce() throws Exception {
    List<String> lines = new ArrayList<>(Samples.lines(Samples.MULTIWIKI_2026));
    List<String> repeats = new ArrayList<>(lines.subList(0, 700));
    lines.addAll(repeats); // later batches
    lines.addAll(300, repeats.subList(0, 50)); // same batch
    Collections.shuffle(lines.subList(1000, lines.size()), new Random(7));
    Path file = Samples.write(dir.resolve("repeats.ndjson"), lines);

    Loader.Totals totals = replay(file, 250);

    GoldRecompute expected = GoldRecompute.of(lines);
    assertThat(totals.stored()).isEqualTo(expected.eventIds.size());
    assertThat(totals.duplicates()).isEqualTo(750);
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(expected.eventIds.size());
      assertThat(t.gold().minutelyByWiki()).isEqualTo(expected.minutelyByWiki);
      assertThat(t.gold().weekdays()).isEqualTo(expected.weekdays);
    }
  }

  @Test
  void badInputIsQuarantinedWithItsReasonAndNothingGoodIsLost() throws Exception {
    List<String> good = Samples.lines(Samples.NEW_ITEMS_2018);
    Path file = withBadLines(good);

    Loader.Totals totals = replay(file, 20);

    assertThat(totals.stored()).isEqualTo(good.size());
    assertThat(totals.quarantined()).isEqualTo(6);
    assertThat(totals.canaries()).isEqualTo(1);
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(good.size());
      assertThat(t.rows("SELECT reason FROM wiki_quarantine ORDER BY reason"))
          .extracting(row -> row.get(0).replaceAll(":.*", ""))
          .containsExactly(
              "event too large",
              "invalid UTF-8",
              "malformed JSON",
              "missing meta.id",
              "not a JSON object",
              "unknown type");
      assertThat(t.count("SELECT count(*) FROM wiki WHERE domain = 'canary'")).isZero();
    }
  }

  @Test
  void anSseCaptureReplaysLikeNdjsonAndKeepsItsIds() throws Exception {
    List<String> lines = Samples.lines(Samples.MULTIWIKI_2026);
    Path capture = dir.resolve("capture.sse.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(capture))) {
      out.write(": a comment the reader ignores\n\n".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < lines.size(); i++) {
        String frame =
            "event: message\nid: [{\"offset\":" + i + "}]\ndata: " + lines.get(i) + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
      }
    }

    replay(capture, 1000);

    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.strings("SELECT event_id::VARCHAR FROM wiki"))
          .isEqualTo(GoldRecompute.of(lines).eventIds);
      assertThat(t.count("SELECT count(*) FROM wiki_raw WHERE sse_id LIKE '[{\"offset\":%'"))
          .isEqualTo(lines.size());
    }
  }

  @Test
  void bronzeRowsOlderThanTheRetentionAreExpired() throws Exception {
    replay(Samples.NEW_ITEMS_2018, 1000);
    try (DuckDbStore store = DuckDbStore.open(db())) {
      assertThat(store.expireRaw(Instant.now().minus(Duration.ofHours(1)))).isZero();
      assertThat(store.expireRaw(Instant.now().plus(Duration.ofMinutes(1)))).isEqualTo(82);
    }
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.count("SELECT count(*) FROM wiki_raw")).isZero();
      assertThat(t.count("SELECT count(*) FROM wiki")).as("silver is kept").isEqualTo(82);
    }
  }

  @Test
  void maintenanceFoldsTheWriteAheadLogIntoTheFileAndKeepsEverything() throws Exception {
    EventParser parser = new EventParser();
    List<ParseResult> batch =
        Samples.lines(Samples.MULTIWIKI_2026).stream()
            .map(l -> parser.parse(RawEvent.of("replay", null, l, 0)))
            .toList();
    Path wal = dir.resolve("store.duckdb.wal");
    try (DuckDbStore store = DuckDbStore.open(db())) {
      store.write(batch);
      assertThat(Files.size(wal)).as("a committed batch waits in the log").isGreaterThan(1 << 17);

      store.maintain();

      assertThat(Files.exists(wal) ? Files.size(wal) : 0).isLessThan(1 << 16);
      assertThat(store.write(batch).duplicates()).isEqualTo(batch.size());
    }
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(batch.size());
      GoldRecompute.of(Samples.lines(Samples.MULTIWIKI_2026)).assertMatches(t.gold());
    }
  }

  /** The good lines, with one of each kind of bad line spread among them. */
  private Path withBadLines(List<String> good) throws IOException {
    String canary =
        good.get(0)
            .replaceFirst("\"domain\": ?\"[^\"]+\"", "\"domain\": \"canary\"")
            .replaceFirst(
                "\"id\": ?\"[0-9a-f-]{36}\"", "\"id\": \"00000000-0000-0000-0000-000000000001\"");
    List<byte[]> bad =
        List.of(
            "{\"meta\": {\"id\": ".getBytes(StandardCharsets.UTF_8),
            "[\"an array\"]".getBytes(StandardCharsets.UTF_8),
            good.get(1)
                .replaceFirst("\"id\": ?\"([0-9a-f-]{36})\"", "\"idx\": \"$1\"")
                .getBytes(StandardCharsets.UTF_8),
            good.get(2)
                .replaceFirst("\"type\": ?\"\\w+\"", "\"type\": \"wat\"")
                .getBytes(StandardCharsets.UTF_8),
            ("{\"title\": \"bad \u00ff bytes\"}").getBytes(StandardCharsets.ISO_8859_1),
            ("{\"comment\": \"" + "y".repeat(2 << 20) + "\"}").getBytes(StandardCharsets.UTF_8),
            canary.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int step = Math.max(1, good.size() / bad.size());
    int b = 0;
    for (int i = 0; i < good.size(); i++) {
      if (i % step == 0 && b < bad.size()) {
        out.write(bad.get(b++));
        out.write('\n');
      }
      out.write(good.get(i).getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    while (b < bad.size()) {
      out.write(bad.get(b++));
      out.write('\n');
    }
    return Files.write(dir.resolve("with-bad-lines.ndjson"), out.toByteArray());
  }

  private Object snapshot() throws Exception {
    try (StoreTables t = StoreTables.open(db())) {
      return t.everything();
    }
  }

  private Loader.Totals replay(Path file, int batchSize) throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db())) {
      Pipeline p =
          Pipeline.start(
              new RecordingSource(file, 0),
              new MemoryQueue(1000),
              store,
              new Loader.Settings(batchSize, Duration.ofMillis(50), Duration.ZERO),
              new SimpleMeterRegistry());
      p.awaitEnd();
      return p.loader().totals();
    }
  }
}

package org.wikievents.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.testing.GoldRecompute;
import org.wikievents.testing.Samples;
import org.wikievents.testing.StoreTables.GoldTables;

/**
 * What every {@link EventStore} promises, run against each implementation: each distinct event once
 * in silver, bronze and gold however often it arrives, bad input quarantined with its reason, the
 * resume point committed with the data, gold equal to an independent recomputation.
 */
public abstract class StoreContract {
  private final EventParser parser = new EventParser();

  /** Opens the store under test; the same one each time within a test. */
  protected abstract EventStore open(Duration rawRetention) throws Exception;

  /** Reads the store back, each logical table as the store defines it (merged, deduplicated). */
  protected abstract Tables tables() throws Exception;

  /** The logical tables, read in a dialect-independent form. */
  protected interface Tables extends AutoCloseable {
    long rows(String table) throws Exception;

    Set<String> eventIds() throws Exception;

    Set<String> rawData() throws Exception;

    Set<String> titles() throws Exception;

    /** Quarantine reasons, up to their first colon, sorted. */
    List<String> quarantineReasons() throws Exception;

    GoldTables gold() throws Exception;
  }

  private EventStore open() throws Exception {
    return open(Duration.ZERO);
  }

  private List<ParseResult> parse(List<String> lines, String stream, int firstSseId) {
    List<ParseResult> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < lines.size(); i++) {
      String sseId = stream.equals(RawEvent.REPLAY_STREAM) ? null : "sse-" + (firstSseId + i);
      out.add(parser.parse(RawEvent.of(stream, sseId, lines.get(i), now)));
    }
    return out;
  }

  /** Writes the lines in batches of {@code batchSize}; returns the summed results. */
  private WriteResult load(EventStore store, List<String> lines, int batchSize) throws Exception {
    List<ParseResult> all = parse(lines, RawEvent.REPLAY_STREAM, 0);
    int received = 0;
    int stored = 0;
    int duplicates = 0;
    int quarantined = 0;
    int canaries = 0;
    for (int i = 0; i < all.size(); i += batchSize) {
      WriteResult r = store.write(all.subList(i, Math.min(all.size(), i + batchSize)));
      received += r.received();
      stored += r.stored();
      duplicates += r.duplicates();
      quarantined += r.quarantined();
      canaries += r.canaries();
    }
    return new WriteResult(received, stored, duplicates, quarantined, canaries);
  }

  @Test
  void goldEqualsAnIndependentRecomputationOfTheInput() throws Exception {
    List<String> lines = Samples.lines(Samples.MULTIWIKI_2026);
    try (EventStore store = open()) {
      // Small batches: out-of-order events land in buckets that earlier batches already created.
      load(store, lines, 97);
    }

    GoldRecompute expected = GoldRecompute.of(lines);
    try (Tables t = tables()) {
      GoldTables gold = t.gold();
      assertThat(gold.minutely()).isEqualTo(expected.minutely);
      assertThat(gold.hourly()).isEqualTo(expected.hourly);
      assertThat(gold.minutelyByWiki()).isEqualTo(expected.minutelyByWiki);
      assertThat(gold.hourlyByWiki()).isEqualTo(expected.hourlyByWiki);
      assertThat(gold.byWiki()).isEqualTo(expected.byWiki);
      assertThat(gold.weekdays()).isEqualTo(expected.weekdays);
    }
  }

  @Test
  void eachDistinctEventIsStoredOnceWithItsRawTextWhereverItRepeats() throws Exception {
    List<String> unique = Samples.lines(Samples.NEW_ITEMS_2018);
    List<String> lines = new ArrayList<>(unique);
    lines.addAll(10, unique.subList(0, 5)); // repeated within the first batch
    lines.addAll(unique.subList(20, 50)); // repeated in later batches

    WriteResult result;
    try (EventStore store = open()) {
      result = load(store, lines, 40);
    }

    assertThat(result.received()).isEqualTo(lines.size());
    assertThat(result.stored()).isEqualTo(unique.size());
    assertThat(result.duplicates()).isEqualTo(35);
    GoldRecompute expected = GoldRecompute.of(lines);
    try (Tables t = tables()) {
      assertThat(t.eventIds()).isEqualTo(expected.eventIds);
      assertThat(t.rows("wiki")).isEqualTo(unique.size());
      assertThat(t.rows("wiki_raw")).isEqualTo(unique.size());
      assertThat(t.rawData()).containsExactlyInAnyOrderElementsOf(unique);
      assertThat(t.gold().byWiki()).isEqualTo(expected.byWiki);
      assertThat(t.gold().weekdays()).isEqualTo(expected.weekdays);
    }
  }

  @Test
  void writingTheSameEventsAgainChangesNothing() throws Exception {
    List<String> lines = Samples.lines(Samples.WIKIDATA_2018);
    try (EventStore store = open()) {
      load(store, lines, 500);
    }
    Snapshot before = snapshot();

    WriteResult second;
    try (EventStore store = open()) {
      second = load(store, lines, 300);
    }

    assertThat(second.stored()).isZero();
    assertThat(second.duplicates()).isEqualTo(lines.size());
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void badInputIsQuarantinedWithItsReasonAndNothingGoodIsLost() throws Exception {
    List<String> good = Samples.lines(Samples.NEW_ITEMS_2018);
    List<String> lines = new ArrayList<>(good);
    lines.add(3, "{\"meta\": {\"id\": ");
    lines.add(7, "[\"an array\"]");
    lines.add(9, good.get(2).replaceFirst("\"type\": ?\"\\w+\"", "\"type\": \"wat\""));
    lines.add(
        11,
        good.get(1)
            .replaceFirst("\"domain\": ?\"[^\"]+\"", "\"domain\": \"canary\"")
            .replaceFirst("\"id\": ?\"[0-9a-f-]{36}\"", "\"id\": \"0-0\""));

    WriteResult result;
    try (EventStore store = open()) {
      result = load(store, lines, 20);
      // The same bad line again is not a second quarantine row.
      store.write(parse(List.of("[\"an array\"]"), RawEvent.REPLAY_STREAM, 0));
    }

    assertThat(result.stored()).isEqualTo(good.size());
    assertThat(result.quarantined()).isEqualTo(3);
    assertThat(result.canaries()).isEqualTo(1);
    try (Tables t = tables()) {
      assertThat(t.rows("wiki")).isEqualTo(good.size());
      assertThat(t.quarantineReasons())
          .containsExactly("malformed JSON", "not a JSON object", "unknown type");
    }
  }

  @Test
  void theResumePointIsTheNewestSseIdPerLiveStreamAndReplaysNeverMoveIt() throws Exception {
    List<String> lines = Samples.lines(Samples.NEW_ITEMS_2018);
    try (EventStore store = open()) {
      assertThat(store.checkpoint("recentchange")).isEmpty();

      store.write(parse(lines.subList(0, 10), "recentchange", 100));
      assertThat(store.checkpoint("recentchange")).contains("sse-109");

      store.write(parse(lines.subList(10, 20), RawEvent.REPLAY_STREAM, 0));
      store.write(parse(lines.subList(20, 25), "recentchange", 200));
      assertThat(store.checkpoint("recentchange")).contains("sse-204");
      assertThat(store.checkpoint("other")).isEmpty();
    }
    try (EventStore store = open()) {
      assertThat(store.checkpoint("recentchange")).as("after a restart").contains("sse-204");
    }
  }

  @Test
  void aBatchClosedWithoutCommitLeavesNothing() throws Exception {
    List<ParseResult> batch = parse(Samples.lines(Samples.NEW_ITEMS_2018), "recentchange", 0);
    try (EventStore store = open()) {
      try (BatchWriter w = store.begin()) {
        for (ParseResult r : batch) {
          w.add(r);
        }
      }
      assertThat(store.checkpoint("recentchange")).isEmpty();
      WriteResult r = store.write(batch);
      assertThat(r.stored()).as("the discarded batch did not count as stored").isEqualTo(82);
    }
    try (Tables t = tables()) {
      assertThat(t.rows("wiki")).isEqualTo(82);
    }
  }

  @Test
  void anAlertIsKeptBesideAnOpenBatchAndReadBackNewestFirst() throws Exception {
    List<ParseResult> batch = parse(Samples.lines(Samples.NEW_ITEMS_2018), "recentchange", 0);
    Instant t = Instant.parse("2026-05-05T11:17:40.123Z");
    String hostile = "<script>x</script> ' \" \\ ; DROP TABLE wiki; --";
    try (EventStore store = open();
        StoreReader reader = store.reader()) {
      try (BatchWriter w = store.begin()) {
        for (ParseResult r : batch) {
          w.add(r);
        }
        store.recordAlert(new Alert(t, "page_spike", "enwiki:" + hostile, true, hostile));
        store.recordAlert(
            new Alert(t.plusSeconds(60), "page_spike", "enwiki:" + hostile, false, "Cleared"));
        // The batch is dropped: the alerts were never part of it.
      }
      Table alerts = reader.read(List.of("alerts"), new java.util.HashMap<>()).table("alerts");
      assertThat(alerts.columns()).containsExactly("time", "rule", "subject", "state", "message");
      assertThat(alerts.rows()).hasSize(2);
      assertThat(alerts.rows().get(0).subList(1, 5))
          .containsExactly("page_spike", "enwiki:" + hostile, "cleared", "Cleared");
      assertThat(alerts.rows().get(1).subList(1, 5))
          .containsExactly("page_spike", "enwiki:" + hostile, "firing", hostile);
      assertThat(String.valueOf(alerts.rows().get(1).get(0))).startsWith("2026-05-05T11:17:40");
    }
    try (Tables tables = tables()) {
      assertThat(tables.rows("wiki")).isZero();
    }
  }

  @Test
  void oneBatchIsOpenAtATime() throws Exception {
    try (EventStore store = open();
        BatchWriter first = store.begin()) {
      assertThatThrownBy(store::begin).isInstanceOf(IllegalStateException.class);
      first.close();
      try (BatchWriter next = store.begin()) {
        assertThat(next.commit().received()).isZero();
      }
    }
  }

  @Test
  void bronzeRowsOlderThanTheCutoffAreExpiredAndSilverIsKept() throws Exception {
    try (EventStore store = open(Duration.ofDays(1))) {
      load(store, Samples.lines(Samples.NEW_ITEMS_2018), 1000);
      assertThat(store.expireRaw(Instant.now().minus(Duration.ofHours(1)))).isZero();
      assertThat(store.expireRaw(Instant.now().plus(Duration.ofMinutes(1)))).isEqualTo(82);
    }
    try (Tables t = tables()) {
      assertThat(t.rows("wiki_raw")).isZero();
      assertThat(t.rows("wiki")).isEqualTo(82);
    }
  }

  @Test
  void hostileTextIsStoredAsIsAndReadBackUnchanged() throws Exception {
    // JSON text of a title: quote, SQL, backslash, escaped quote and controls, non-ASCII, emoji.
    String title = "\"'); DROP TABLE wiki; -- \\\\ \\\" \\n \\t \u00e9\u4e2d\ud83d\ude00\"";
    String line =
        Samples.lines(Samples.NEW_ITEMS_2018)
            .get(0)
            .replaceFirst(
                "\"title\": ?\"[^\"]*\"", Matcher.quoteReplacement("\"title\": " + title));
    try (EventStore store = open()) {
      assertThat(store.write(parse(List.of(line), RawEvent.REPLAY_STREAM, 0)).stored()).isOne();
    }
    try (Tables t = tables()) {
      assertThat(t.rawData()).containsExactly(line);
      assertThat(t.titles())
          .containsExactly("'); DROP TABLE wiki; -- \\ \" \n \t \u00e9\u4e2d\ud83d\ude00");
    }
  }

  private record Snapshot(Set<String> ids, long raw, GoldTables gold, List<String> quarantine) {}

  private Snapshot snapshot() throws Exception {
    try (Tables t = tables()) {
      return new Snapshot(t.eventIds(), t.rows("wiki_raw"), t.gold(), t.quarantineReasons());
    }
  }
}
